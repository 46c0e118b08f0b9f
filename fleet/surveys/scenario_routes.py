"""Scenarios under ``/api/v1/scenarios``: what the kiosks' screens show (survey steps and an ad
playlist), for whom, when and before what. Each save is a new version; the kiosks it targets
get a new plan within seconds (fleet/surveys/plans.py). A save is refused (409) when the
scenario could never play or names a file that is not in the library, and answered with
warnings when it has no slot today or ties with another scenario's priority."""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, StringConstraints
from tortoise.exceptions import IntegrityError

from crmsensor.errors import ProtocolError
from crmsensor.protocol.messages import STAFF_ROLES
from crmsensor.protocol.screen import TEXT_KEYS, check_scenario, plays_on, ties
from fleet.content.models import Content
from fleet.office.access import add_role_functions
from fleet.office.guard import principal_of
from fleet.state import DOWNLINK
from fleet.surveys import plans
from fleet.surveys.models import Scenario, ScenarioVersion
from fleet.transaction import transaction
from fleet.updates.routes import public_url
from fleet.webapi import LIMIT, Access, Api, Body, Param, conflict, int_in, not_found, page

add_role_functions("marketer", "surveys", ("view", "manage"))

api = Api()
VIEW = Access("surveys", "view")
MANAGE = Access("surveys", "manage", audit="scenario.change")
REFUSED = {"409": {"description": "Refused: the JSON `error` names the field at fault"}}
SLUG = r"^[a-z0-9][a-z0-9_-]{0,39}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG)]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]{1,7}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Int7 = int_in(1, 7)
RegionId = int_in(1, 2**31)
Sha = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Window = Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d-\d\d:\d\d$")]
Text = Annotated[str, StringConstraints(max_length=300)]


class ScenarioTarget(Body):
    """Which kiosks: the whole network, or those at these stations, in these regions or with
    one of these tags."""

    all: bool = False
    stations: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=64)]],
                        Field(max_length=1000)] = []  # fmt: skip
    regions: Annotated[list[RegionId], Field(max_length=200)] = []  # type: ignore[valid-type]
    tags: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=64)]],
                    Field(max_length=50)] = []  # fmt: skip


class ScenarioSchedule(Body):
    """When, in each station's local time: dates (inclusive), ISO weekdays (1 = Monday) and
    windows of the day (none: all day; one ending before it starts crosses midnight)."""

    first_day: date | None = None
    last_day: date | None = None
    days: Annotated[list[Int7], Field(min_length=1, max_length=7)] = [1, 2, 3, 4, 5, 6, 7]  # type: ignore[valid-type]
    hours: Annotated[list[Window], Field(max_length=8)] = []


class ScenarioReason(Body):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    text: Annotated[dict[str, Label], Field(min_length=1, max_length=8)]  # language: label


class ScenarioSurvey(Body):
    trigger: Literal["start", "end", "never"] = "start"  # the kiosk session's start or end
    delay_s: int_in(0, 600) = 0  # type: ignore[valid-type]
    nps: bool = True
    reasons_below: int_in(0, 11) = 7  # type: ignore[valid-type]
    reasons: Annotated[list[ScenarioReason], Field(max_length=10)] = []
    staff: Annotated[list[Literal[STAFF_ROLES]], Field(max_length=3)] = []  # type: ignore[valid-type]
    comment: bool = False
    timeout_s: int_in(5, 600) = 30  # type: ignore[valid-type]


class ScenarioItem(Body):
    content: Sha
    seconds: Annotated[float, Field(ge=1, le=600)] = 10.0  # an image's time; a video plays through


class ScenarioEdit(Body):
    """A scenario's next version (the id stays)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    priority: int_in(0, 1000) = 100  # type: ignore[valid-type]
    target: ScenarioTarget
    schedule: ScenarioSchedule = ScenarioSchedule()
    langs: Annotated[list[Lang], Field(min_length=1, max_length=8)] = ["ru", "en"]
    # language: {text key: text}; the keys are crmsensor.protocol.screen.TEXT_KEYS
    texts: Annotated[dict[str, dict[str, Text]], Field(max_length=8)] = {}
    survey: ScenarioSurvey = ScenarioSurvey()
    playlist: Annotated[list[ScenarioItem], Field(max_length=100)] = []


class ScenarioNew(ScenarioEdit):
    id: Slug


async def check(edit: ScenarioEdit, sid: str) -> dict[str, Any]:
    """The version's body, checked as a kiosk will check it (409 naming the field)."""
    body = edit.model_dump(mode="json", exclude={"id", "name"})
    shas = [i["content"] for i in body["playlist"]]
    files = {c.sha256: c for c in await Content.filter(sha256__in=shas, deleted_at__isnull=True)}
    for i, sha in enumerate(shas):
        if sha not in files:
            raise conflict(f"playlist[{i}]: content {sha[:12]} is not in the library "
                           "(deleted, or never uploaded)")  # fmt: skip
    plan_files = {sha: plans.file_entry(c) for sha, c in files.items()}
    as_planned = {"id": sid, "version": 1, "name": edit.name, "priority": body["priority"],
                  "published": 0, "schedule": body["schedule"], "langs": body["langs"],
                  "texts": body["texts"], "survey": body["survey"],
                  "playlist": body["playlist"]}  # fmt: skip
    try:
        check_scenario(as_planned, plan_files, "scenario")
    except ProtocolError as exc:
        raise conflict(str(exc).removeprefix("schema: ")) from None
    for lang, texts in body["texts"].items():
        if lang not in body["langs"]:
            raise conflict(f"texts.{lang[:8]}: not one of the scenario's langs")
        unknown = sorted(set(texts) - set(TEXT_KEYS))
        if unknown:
            raise conflict(f"texts.{lang}: {unknown[0][:40]!r} is not a text key "
                           f"({', '.join(TEXT_KEYS)})")  # fmt: skip
    for i, r in enumerate(body["survey"]["reasons"]):
        if set(r["text"]) - set(body["langs"]):
            raise conflict(f"survey.reasons[{i}].text: a label for a language not in langs")
    t = body["target"]
    if not (t["all"] or t["stations"] or t["regions"] or t["tags"]):
        raise conflict("target: name stations, regions or tags, or set all")
    return body


async def warnings(sid: str, body: dict[str, Any], now: datetime) -> list[str]:
    """What the marketer should know: no slot today; equal priority with another scenario
    that plays on some of the same kiosks at some of the same times this week."""
    out = []
    today = now.date()
    if not plays_on(body["schedule"], today):
        nxt = next((today + timedelta(days=n) for n in range(1, 366)
                    if plays_on(body["schedule"], today + timedelta(days=n))), None)  # fmt: skip
        when = f"it first plays on {nxt}" if nxt else "it does not play in the next year"
        out.append(f"no slot today ({today}); {when}")
    mine = {"id": sid, "priority": body["priority"], "schedule": body["schedule"]}
    kiosks = await plans.kiosks()
    reach = {k.id for k in kiosks if k.targeted_by(body["target"])}
    for s, v in await plans.live_versions():
        if s.id == sid or v.body["priority"] != body["priority"]:
            continue
        if not any(k.targeted_by(v.body["target"]) for k in kiosks if k.id in reach):
            continue
        other = {"id": s.id, "priority": v.body["priority"], "schedule": v.body["schedule"]}
        tie = _first_tie([mine, other], now)
        if tie is not None:
            out.append(f"same priority ({body['priority']}) as {s.id} at {tie:%a %H:%M}: "
                       "the more recently published one plays")  # fmt: skip
    return out


def _first_tie(scenarios: list[dict[str, Any]], now: datetime) -> datetime | None:
    """The first quarter hour of the coming week when both play (naive local time)."""
    t = now.replace(tzinfo=None, minute=now.minute - now.minute % 15, second=0, microsecond=0)
    for _ in range(7 * 96):
        if ties(scenarios, t):
            return t
        t += timedelta(minutes=15)
    return None


def scenario_view(s: Scenario, v: ScenarioVersion | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "name": s.name, "version": s.version,
                           "archived": s.archived_at is not None,
                           "updated_at": s.updated_at.isoformat()}  # fmt: skip
    if v is not None:
        out.update(v.body)
        out["created_by"] = v.created_by
    return out


async def _scenario(request: web.Request) -> Scenario:
    sid = request.match_info["scenario_id"]
    s = await Scenario.get_or_none(id=sid)
    if s is None:
        raise not_found(f"no scenario {sid!r}")
    return s


async def _publish(request: web.Request) -> int:
    return await plans.refresh(public_url(request.app), request.app[DOWNLINK])


@api.endpoint("GET", "/api/v1/scenarios", "Scenarios, most recently edited first",
              (Param("archived", bool, "Only archived (true) or only live (false) ones"),
               LIMIT), access=VIEW)  # fmt: skip
async def list_scenarios(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = Scenario.all()
    if p["archived"] is not None:
        qs = qs.filter(archived_at__isnull=not p["archived"])
    rows = await qs.order_by("-updated_at", "id").limit(p["limit"] or 100)
    found = await ScenarioVersion.filter(scenario_id__in=[s.id for s in rows])
    versions = {(v.scenario_id, v.version): v for v in found}  # type: ignore[attr-defined]
    return page([scenario_view(s, versions.get((s.id, s.version))) for s in rows], None)


@api.endpoint("POST", "/api/v1/scenarios", "Add a scenario (its version 1) and publish it",
              access=MANAGE, body=ScenarioNew, status=201, responses=REFUSED)  # fmt: skip
async def create_scenario(request: web.Request, p: dict[str, Any]) -> web.Response:
    edit: ScenarioNew = p["body"]
    body = await check(edit, edit.id)
    if await Scenario.exists(id=edit.id):
        raise conflict(f"scenario {edit.id} exists: PUT its next version")
    try:
        async with transaction():
            s = await Scenario.create(id=edit.id, name=edit.name)
            v = await ScenarioVersion.create(scenario=s, version=1, body=body,
                                             created_by=principal_of(request).name)  # fmt: skip
    except IntegrityError:
        raise conflict(f"scenario {edit.id} was created meanwhile") from None
    out = scenario_view(s, v)
    out["warnings"] = await warnings(s.id, body, datetime.now(UTC))
    out["kiosks_told"] = await _publish(request)
    return web.json_response(out, status=201)


@api.endpoint("GET", "/api/v1/scenarios/{scenario_id}", "A scenario's current version",
              path_patterns={"scenario_id": SLUG}, access=VIEW)  # fmt: skip
async def get_scenario(request: web.Request, p: dict[str, Any]) -> web.Response:
    s = await _scenario(request)
    v = await ScenarioVersion.get_or_none(scenario_id=s.id, version=s.version)
    return web.json_response(scenario_view(s, v))


@api.endpoint("PUT", "/api/v1/scenarios/{scenario_id}",
              "Save a scenario's next version and publish it (answers keep the version that "
              "asked them)", path_patterns={"scenario_id": SLUG},
              access=MANAGE, body=ScenarioEdit, responses=REFUSED)  # fmt: skip
async def edit_scenario(request: web.Request, p: dict[str, Any]) -> web.Response:
    s = await _scenario(request)
    edit: ScenarioEdit = p["body"]
    body = await check(edit, s.id)
    try:
        async with transaction():
            v = await ScenarioVersion.create(scenario=s, version=s.version + 1, body=body,
                                             created_by=principal_of(request).name)  # fmt: skip
            s.version, s.name, s.archived_at = v.version, edit.name, None
            await s.save(update_fields=["version", "name", "archived_at", "updated_at"])
    except IntegrityError:
        raise conflict(f"{s.id} was edited meanwhile: load it and save again") from None
    out = scenario_view(s, v)
    out["warnings"] = await warnings(s.id, body, datetime.now(UTC))
    out["kiosks_told"] = await _publish(request)
    return web.json_response(out)


@api.endpoint("DELETE", "/api/v1/scenarios/{scenario_id}",
              "Archive a scenario: the kiosks stop playing it; its versions and answers stay",
              path_patterns={"scenario_id": SLUG}, access=MANAGE)  # fmt: skip
async def archive_scenario(request: web.Request, p: dict[str, Any]) -> web.Response:
    s = await _scenario(request)
    if s.archived_at is None:
        s.archived_at = datetime.now(UTC)
        await s.save(update_fields=["archived_at", "updated_at"])
    out = scenario_view(s, None)
    out["kiosks_told"] = await _publish(request)
    return web.json_response(out)


@api.endpoint("GET", "/api/v1/scenarios/{scenario_id}/versions/{version}",
              "One version of a scenario (answers name the version that asked them)",
              path_patterns={"scenario_id": SLUG, "version": r"^[1-9][0-9]{0,8}$"},
              access=VIEW)  # fmt: skip
async def get_version(request: web.Request, p: dict[str, Any]) -> web.Response:
    s = await _scenario(request)
    n = int(request.match_info["version"])
    v = await ScenarioVersion.get_or_none(scenario_id=s.id, version=n)
    if v is None:
        raise not_found(f"{s.id} has no version {n}")
    out = scenario_view(s, v)
    out["version"] = n
    return web.json_response(out)
