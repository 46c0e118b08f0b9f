"""Checklist templates and the MSI (fleet/reviews/checklists.py)."""

import pytest

from fleet.reviews.checklists import ChecklistError, check_template, score

CASHIER = {
    "name": "Cashier standard", "service_type": "cashier", "critical_cap": 40,
    "items": [
        {"key": "greeting", "text": "Greeted the customer", "weight": 2},
        {"key": "loyalty", "text": "Offered the loyalty card"},
        {"key": "upsell", "text": "Offered coffee or a snack"},
        {"key": "receipt", "text": "Gave the receipt", "critical": True},
        {"key": "notes", "text": "Notes", "kind": "text"},
    ],
}  # fmt: skip


def test_the_msi_weighs_answers_skips_not_applicable_and_caps_critical_failures() -> None:
    t = check_template(CASHIER)
    all_yes = {"greeting": "yes", "loyalty": "yes", "upsell": "yes", "receipt": "yes"}
    assert score(t, all_yes).msi == 100.0
    s = score(t, {**all_yes, "loyalty": "no", "notes": "busy queue"})
    assert (s.msi, s.answered, s.passed) == (80.0, 4, 3)  # 4 of 5 weight
    assert score(t, {**all_yes, "upsell": "na", "loyalty": "no"}).msi == 75.0  # 3 of 4
    s = score(t, {**all_yes, "receipt": "no"})
    assert s.msi == 40.0 and s.failed_critical == ("receipt",)  # 80 capped at 40
    assert score(t, dict.fromkeys(all_yes, "na")).msi is None


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"service_type": "barista"}, "service_type"),
        ({"items": []}, "1-200 items"),
        ({"items": [{"key": "a", "text": "x"}, {"key": "a", "text": "y"}]}, "used twice"),
        ({"items": [{"key": "a b", "text": "x"}]}, "identifier"),
        ({"items": [{"key": "a", "text": "x", "weight": 0}]}, "weight"),
        ({"items": [{"key": "a", "text": "x", "kind": "text", "critical": True}]}, "critical"),
        ({"items": [{"key": "a", "text": "x", "kind": "text"}]}, "at least one check"),
        ({"critical_cap": 120}, "critical_cap"),
    ],
)
def test_bad_templates_are_named(change: dict, why: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ChecklistError, match=why):
        check_template({**CASHIER, **change})


def test_bad_answers_are_named() -> None:
    t = check_template(CASHIER)
    with pytest.raises(ChecklistError, match="'tip' is not an item"):
        score(t, {"tip": "yes"})
    with pytest.raises(ChecklistError, match="greeting: answer yes, no or na"):
        score(t, {"greeting": "maybe"})
    with pytest.raises(ChecklistError, match="loyalty: answer"):
        score(t, {"greeting": "yes"})  # unanswered
