"""Checklists and the mystery shopper index (MSI): a template's items, checked; a filled
checklist scored. Pure.

A template is for one service type (cashier, fuel attendant, shop) and has items: questions
answered yes / no / not applicable, each with a weight, some critical; and free-text fields.
The MSI of a filled checklist is the weighted share of "yes" among the questions answered yes
or no, in percent; not applicable leaves a question out; a critical question answered no caps
the MSI at the template's ``critical_cap`` (0 by default: the service failed). A template is
never edited in place: an edit is a new version, and a filled checklist keeps the version it
was filled with (the store's part).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SERVICE_TYPES = ("cashier", "fuel_attendant", "shop")
ANSWERS = ("yes", "no", "na")


class ChecklistError(ValueError):
    """A template or a filled checklist that cannot be taken; the message names the item."""


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    kind: str = "check"  # check (yes / no / na) or text
    weight: float = 1.0
    critical: bool = False


@dataclass(frozen=True)
class Template:
    name: str
    service_type: str
    items: tuple[Item, ...]
    critical_cap: float = 0.0

    @property
    def questions(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind == "check")


@dataclass(frozen=True)
class Score:
    msi: float | None  # None: every question not applicable
    answered: int
    passed: int
    failed_critical: tuple[str, ...]

    @property
    def capped(self) -> bool:
        return bool(self.failed_critical)


def check_template(obj: Any) -> Template:
    """A template from its JSON form, checked (ChecklistError naming what is wrong)."""
    if not isinstance(obj, dict):
        raise ChecklistError("a checklist template is a JSON object")
    name, service = obj.get("name"), obj.get("service_type")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise ChecklistError("name must be 1-100 characters")
    if service not in SERVICE_TYPES:
        raise ChecklistError(f"service_type must be one of {', '.join(SERVICE_TYPES)}")
    cap = obj.get("critical_cap", 0.0)
    if isinstance(cap, bool) or not isinstance(cap, int | float) or not 0 <= cap <= 100:
        raise ChecklistError("critical_cap must be 0-100")
    raw = obj.get("items")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 200:
        raise ChecklistError("items must be a list of 1-200 items")
    items, seen = [], set()
    for n, it in enumerate(raw, start=1):
        if not isinstance(it, dict):
            raise ChecklistError(f"item {n} must be an object")
        key, text = it.get("key"), it.get("text")
        if not isinstance(key, str) or not key.isidentifier() or len(key) > 40:
            raise ChecklistError(f"item {n}: key must be an identifier of at most 40 characters")
        if key in seen:
            raise ChecklistError(f"item {n}: key {key!r} is used twice")
        seen.add(key)
        if not isinstance(text, str) or not 1 <= len(text) <= 500:
            raise ChecklistError(f"item {key}: text must be 1-500 characters")
        kind = it.get("kind", "check")
        if kind not in ("check", "text"):
            raise ChecklistError(f"item {key}: kind must be check or text")
        weight = it.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 100:
            raise ChecklistError(f"item {key}: weight must be above 0, at most 100")
        critical = it.get("critical", False)
        if not isinstance(critical, bool) or (critical and kind != "check"):
            raise ChecklistError(f"item {key}: only a check item can be critical (true/false)")
        items.append(Item(key, text, kind, float(weight), critical))
    template = Template(name, service, tuple(items), float(cap))
    if not template.questions:
        raise ChecklistError("a checklist needs at least one check item")
    return template


def score(template: Template, answers: Mapping[str, Any]) -> Score:
    """The MSI of ``answers`` (item key -> yes/no/na, or text); ChecklistError naming an
    unknown key, a missing answer or a wrong one."""
    known = {i.key: i for i in template.items}
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise ChecklistError(f"{unknown[0][:40]!r} is not an item of {template.name!r}")
    total = got = 0.0
    answered = passed = 0
    failed_critical = []
    for item in template.items:
        value = answers.get(item.key)
        if item.kind == "text":
            if value is not None and (not isinstance(value, str) or len(value) > 4000):
                raise ChecklistError(f"{item.key}: a text of at most 4000 characters")
            continue
        if value not in ANSWERS:
            raise ChecklistError(f"{item.key}: answer yes, no or na")
        if value == "na":
            continue
        answered += 1
        total += item.weight
        if value == "yes":
            passed += 1
            got += item.weight
        elif item.critical:
            failed_critical.append(item.key)
    if not answered:
        return Score(None, 0, 0, ())
    msi = 100 * got / total
    if failed_critical:
        msi = min(msi, template.critical_cap)
    return Score(round(msi, 2), answered, passed, tuple(failed_critical))
