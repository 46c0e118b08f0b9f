"""Rollouts under ``/api/v1/rollouts``: create one, follow it (waves, cohorts, the health
comparison, its log), pause, resume, abort, roll back."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, StringConstraints

from crmsensor.errors import ConfigError
from fleet.office.access import Scope
from fleet.office.guard import missing, principal_of
from fleet.state import ROLLOUT_KICK
from fleet.updates import rollouts
from fleet.updates.models import DeviceUpdate, Release, Rollout
from fleet.updates.routes import DEPLOY, VIEW
from fleet.webapi import (
    AFTER,
    LIMIT,
    REFERS,
    ROW_ID,
    Api,
    Body,
    Param,
    TimeZone,
    bad_request,
    conflict,
    int_in,
    newest_first,
    not_found,
    page,
)

api = Api()
STATES = ("running", "paused", "completed", "aborted")
Tag = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class Target(Body):
    """Which devices (of the release's kind and hardware): all of them, or a subtree, with
    tags (any of), hardware revisions, current versions, or up to 200 named devices (a
    request body is at most 16 KiB; tag larger groups)."""

    scope: Annotated[
        str, StringConstraints(pattern=r"^(all|(organisation|region|station):[a-z0-9._-]{1,64})$")
    ] = "all"
    tags: Annotated[list[Tag], Field(max_length=32)] = []
    hw: Annotated[list[Short], Field(max_length=32)] = []
    versions: Annotated[list[Short], Field(max_length=32)] = []
    devices: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{1,31}$")]],
        Field(max_length=200),
    ] = []


class Window(Body):
    """Maintenance window: badges only on charge; only between local hours [start, end)."""

    charging: bool = False
    hours: Annotated[list[int_in(0, 23)], Field(min_length=2, max_length=2)] | None = None  # type: ignore[valid-type]
    tz: TimeZone = "UTC"


class Gate(Body):
    """The health gate's settings (fleet/updates/health_gate.py); ``off`` disables it."""

    alpha: Annotated[float, Field(gt=0, lt=0.5)] = 0.01
    min_ratio: Annotated[float, Field(ge=1, le=100)] = 1.5
    min_hours: Annotated[float, Field(ge=0, le=10000)] = 1.0
    min_events: int_in(1, 1000) = 3  # type: ignore[valid-type]
    window_s: Annotated[float, Field(ge=60, le=30 * 86400)] = 6 * 3600.0
    off: bool = False


class WavePct(Body):
    """A wave reaching this share of the target (cumulative)."""

    pct: int_in(1, 100)  # type: ignore[valid-type]


class WaveCount(Body):
    """A wave reaching this many devices of the target (cumulative)."""

    count: int_in(1, 1_000_000)  # type: ignore[valid-type]


Wave = WavePct | WaveCount


class RolloutRequest(Body):
    """A new rollout."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    release: int_in(1, 2**53)  # type: ignore[valid-type]
    target: Target = Target()
    # cumulative; a wave under the one before holds as many; a last wave under 100% ends there
    waves: Annotated[list[Wave], Field(min_length=1, max_length=20)]
    wave_gap_s: int_in(0, 30 * 86400) = 3600  # type: ignore[valid-type]
    window: Window = Window()
    success_pct: int_in(1, 100) = 90  # type: ignore[valid-type]
    error_pct: int_in(1, 100) = 10  # type: ignore[valid-type]
    gate: Gate = Gate()


class Action(Body):
    """What to do with a rollout."""

    action: Literal["pause", "resume", "abort", "rollback"]
    reason: Annotated[str, StringConstraints(max_length=200)] = ""
    ignore_gate: bool = False  # resume: and stop the health gate from pausing it again


async def _rollout(request: web.Request, function: str = "view") -> Rollout:
    raw = request.match_info["rollout_id"]
    r = await Rollout.get_or_none(id=int(raw))
    if r is None:
        raise await missing(request, "updates", function, f"rollout {raw!r}")
    return r


def _may_target(request: web.Request, scope: str) -> bool:
    p = principal_of(request)
    return p.everywhere("updates", "deploy") or any(
        str(s) == scope for s in p.scopes_for("updates", "deploy")
    )


@api.endpoint(
    "GET",
    "/api/v1/rollouts",
    "Rollouts, newest first",
    (Param("state", str, "Only this state", choices=STATES), LIMIT, AFTER),
    access=VIEW,
)
async def list_rollouts(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = Rollout.all()
    if p["state"]:
        qs = qs.filter(state=p["state"])
    rows, nxt = await newest_first(qs, p)
    return page([await rollouts.view(r) for r in rows], nxt)


async def create(
    request: web.Request, body: RolloutRequest, release: Release, name: str | None = None
) -> Rollout:
    if release.yanked_at is not None:
        raise conflict(f"release {release.version} is yanked: {release.yank_reason}")
    try:
        Scope.parse(body.target.scope)
    except ConfigError as exc:
        raise bad_request(str(exc)) from None
    if not _may_target(request, body.target.scope):
        raise web.HTTPForbidden(
            text='{"error": "the target is outside your deploy scope"}',
            content_type="application/json",
        )
    r = await Rollout.create(
        name=name or body.name, release_id=release.id,
        target=body.target.model_dump(),
        waves=[w.model_dump(exclude_none=True) for w in body.waves],
        wave_gap_s=body.wave_gap_s, window=body.window.model_dump(exclude_none=True),
        success_pct=body.success_pct, error_pct=body.error_pct, gate=body.gate.model_dump(),
        created_by=principal_of(request).name,
    )  # fmt: skip
    await rollouts.log(r, f"created by {r.created_by}: {release.kind} {release.version}",
                       datetime.now(UTC))  # fmt: skip
    return r


@api.endpoint(
    "POST",
    "/api/v1/rollouts",
    "Start a rollout of a release to a target, in waves",
    access=DEPLOY,
    body=RolloutRequest,
    status=201,
    responses={**REFERS, "409": {"description": "The release is yanked"}},
)
async def create_rollout(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: RolloutRequest = p["body"]
    release = await Release.get_or_none(id=body.release)
    if release is None:
        raise not_found(f"no release {body.release}")
    r = await create(request, body, release)
    request.app[ROLLOUT_KICK].set()  # its first wave goes out now, not at the next period
    return web.json_response(await rollouts.view(r), status=201)


@api.endpoint(
    "GET",
    "/api/v1/rollouts/{rollout_id}",
    "One rollout: its waves with their devices by state, the health comparison, its log",
    path_patterns={"rollout_id": ROW_ID},
    access=VIEW,
)
async def get_rollout(request: web.Request, p: dict[str, Any]) -> web.Response:
    return web.json_response(await rollouts.view(await _rollout(request), detail=True))


@api.endpoint(
    "POST",
    "/api/v1/rollouts/{rollout_id}/action",
    "Pause, resume or abort a rollout, or roll it back (a new rollout of the release its "
    "devices ran before, to the devices it updated)",
    path_patterns={"rollout_id": ROW_ID},
    access=DEPLOY,
    body=Action,
    responses={"409": {"description": "Not possible in the rollout's state (`error` says why)"}},
)
async def rollout_action(request: web.Request, p: dict[str, Any]) -> web.Response:
    r = await _rollout(request, "deploy")
    body: Action = p["body"]
    now = datetime.now(UTC)
    who = principal_of(request).name
    why = f"by {who}" + (f": {body.reason}" if body.reason else "")
    if body.action == "pause":
        if r.state != "running":
            raise conflict(f"rollout is {r.state}, not running")
        await rollouts.set_state(r, "paused", why, now)
    elif body.action == "resume":
        if r.state != "paused":
            raise conflict(f"rollout is {r.state}, not paused")
        if body.ignore_gate:
            r.gate = {**(r.gate or {}), "off": True}
            await r.save(update_fields=["gate"])
        await rollouts.set_state(r, "running", "", now)
        request.app[ROLLOUT_KICK].set()
        await rollouts.log(
            r, f"resumed {why}" + (" (health gate off)" if body.ignore_gate else ""), now
        )
    elif body.action == "abort":
        if r.state in ("completed", "aborted"):
            raise conflict(f"rollout is {r.state} already")
        await rollouts.set_state(r, "aborted", why, now)
    else:
        back = await _rollback(request, r, why)
        request.app[ROLLOUT_KICK].set()
        return web.json_response(await rollouts.view(back), status=200)
    return web.json_response(await rollouts.view(r))


async def _rollback(request: web.Request, r: Rollout, why: str) -> Rollout:
    """A new rollout of the release the updated devices ran before, to those devices."""
    release = await Release.get(id=r.release_id)  # type: ignore[attr-defined]
    ups = await DeviceUpdate.filter(rollout_id=r.id).exclude(state__in=rollouts.FAILED)
    if not ups:
        raise conflict("the rollout updated no device: nothing to roll back")
    counts: dict[str, int] = {}
    for u in ups:
        counts[u.from_version] = counts.get(u.from_version, 0) + 1
    previous_version = max(counts, key=lambda v: counts[v])
    previous = await Release.get_or_none(kind=release.kind, version=previous_version)
    if previous is None or previous.yanked_at is not None:
        raise conflict(f"no usable stored release {previous_version} to roll back to")
    if r.state in ("running", "paused"):
        await rollouts.set_state(r, "aborted", f"rolled back {why}", datetime.now(UTC))
    body = RolloutRequest(
        name=f"roll back {r.name}"[:100], release=previous.id,
        target=Target(scope=r.target.get("scope", "all"),
                      devices=sorted(u.device_id for u in ups)),  # type: ignore[attr-defined]
        waves=[WavePct(pct=100)], wave_gap_s=0, window=Window(**r.window), gate=Gate(off=True),
    )  # fmt: skip
    return await create(request, body, previous)
