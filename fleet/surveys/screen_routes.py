"""The kiosks' screens under ``/api/v1/screens`` and their proof of play under
``/api/v1/plays``.

- what the kiosks fetch, by the token of their ``scenario`` command (no account): the plan and
  the files it names;
- what the web office shows: each kiosk's plan and what the kiosk made of it, a preview of what
  a kiosk shows at a given time (the same :func:`crmsensor.protocol.screen.active` the kiosk
  runs), and the plays: how often each ad was on screen, where, and whether a customer was
  there.
"""

from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from tortoise.functions import Sum

from crmsensor.protocol.screen import active, local_time, ties
from fleet.content.models import Content, content_key
from fleet.office import export
from fleet.office.guard import scoped
from fleet.ranges import stream_object
from fleet.state import OBJECTS
from fleet.surveys import plans
from fleet.surveys.models import Play, Screen
from fleet.surveys.routes import STATION
from fleet.webapi import (
    AFTER,
    DEVICE_ID,
    LIMIT,
    PUBLIC,
    SINCE,
    UNTIL,
    Access,
    Api,
    Param,
    newest_first,
    not_found,
    page,
    time_range,
)

api = Api()
VIEW = Access("surveys", "view")
MANAGE = Access("surveys", "manage")
TOKEN = r"^[A-Za-z0-9_-]{43}$"
SHA = r"^[0-9a-f]{64}$"
GONE = {"410": {"description": "The file was deleted from the library"}}


async def _screen_by_token(request: web.Request) -> Screen:
    screen = await Screen.get_or_none(token=request.match_info["token"])
    if screen is None or screen.plan is None:
        raise not_found("no such screen")
    return screen


@api.endpoint("GET", "/api/v1/screens/{token}/plan",
              "A kiosk's plan, by the token of its scenario command (its SHA-256 is the "
              "command's plan)", path_patterns={"token": TOKEN}, access=PUBLIC)  # fmt: skip
async def get_plan(request: web.Request, p: dict[str, Any]) -> web.Response:
    screen = await _screen_by_token(request)
    return web.Response(body=plans.served(screen), content_type="application/json",
                        headers={"ETag": f'"{screen.plan_sha}"'})  # fmt: skip


@api.endpoint("GET", "/api/v1/screens/{token}/content/{sha256}",
              "A file the kiosk's plan names (HTTP Range)",
              path_patterns={"token": TOKEN, "sha256": SHA}, access=PUBLIC,
              content_type="application/octet-stream", responses=GONE)  # fmt: skip
async def get_content(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    screen = await _screen_by_token(request)
    sha = request.match_info["sha256"]
    if sha not in screen.plan["content"]:
        raise not_found(f"content {sha[:12]} is not in this kiosk's plan")
    c = await Content.get_or_none(sha256=sha)
    store = request.app[OBJECTS]
    size = await store.size(content_key(sha)) if c and c.deleted_at is None else None
    if c is None or size is None:
        raise web.HTTPGone(
            text='{"error": "the file was deleted"}', content_type="application/json"
        )
    return await stream_object(request, store, content_key(sha), size, c.type, f'"{sha}"')


def screen_view(s: Screen) -> dict[str, Any]:
    return {"kiosk": s.device_id, "plan": s.plan_sha,
            "planned_at": s.planned_at.isoformat() if s.planned_at else None,
            "scenarios": [f"{x['id']} v{x['version']}"
                          for x in (s.plan or {}).get("scenarios", [])],
            "state": s.state or "waiting", "state_plan": s.state_plan,
            "state_reason": s.state_reason,
            "state_at": s.state_at.isoformat() if s.state_at else None,
            "current": bool(s.state_plan) and s.state_plan == s.plan_sha}  # fmt: skip


@api.endpoint("GET", "/api/v1/screens",
              "Each kiosk's plan and what the kiosk made of it (applied, partial, refused, or "
              "waiting for an answer)", access=MANAGE)  # fmt: skip
async def list_screens(request: web.Request, p: dict[str, Any]) -> web.Response:
    rows = await Screen.all().order_by("device_id")
    return page([screen_view(s) for s in rows], None)


@api.endpoint("GET", "/api/v1/screens/{device_id}/preview",
              "What a kiosk shows at a time (now unless `at` says): the scenario that plays, "
              "scenarios tied with it on priority, and its playlist",
              (Param("at", datetime, "The moment (ISO 8601 with zone)"),),
              path_patterns={"device_id": DEVICE_ID}, access=MANAGE)  # fmt: skip
async def preview(request: web.Request, p: dict[str, Any]) -> web.Response:
    kiosk = request.match_info["device_id"]
    screen = await Screen.get_or_none(device_id=kiosk)
    if screen is None or screen.plan is None:
        raise not_found(f"no plan for kiosk {kiosk!r} (is it a kiosk in service?)")
    at: datetime = p["at"] or datetime.now(UTC)
    plan = screen.plan
    local = local_time(plan, at.timestamp())
    s = active(plan, local)
    files = {c.sha256: c for c in await Content.filter(sha256__in=list(plan["content"]))}
    playlist = [{**i, "name": files[i["content"]].name if i["content"] in files else "",
                 "type": plan["content"][i["content"]]["type"]}
                for i in (s["playlist"] if s else [])]  # fmt: skip
    return web.json_response({
        "kiosk": kiosk, "at": at.isoformat(), "local": local.isoformat(), "tz": plan["tz"],
        "scenario": None if s is None else {"id": s["id"], "version": s["version"],
                                            "name": s["name"], "priority": s["priority"],
                                            "survey": s["survey"], "langs": s["langs"]},
        "ties": ties(plan["scenarios"], local), "playlist": playlist,
    })  # fmt: skip


def play_view(r: Play) -> dict[str, Any]:
    return {"id": r.id, "kiosk": r.device_id, "station": r.station_id, "content": r.content,
            "scenario": r.scenario, "version": r.version, "hour": r.hour.isoformat(),
            "plays": r.plays, "seconds": r.seconds, "present": r.present, "errors": r.errors,
            "reason": r.reason}  # fmt: skip


@api.endpoint("GET", "/api/v1/plays",
              "Proof of play: each kiosk's tally of each ad per hour, newest first",
              (STATION, Param("content", str, "Only this file (SHA-256)", max_len=64),
               SINCE, UNTIL, LIMIT, AFTER), access=VIEW)  # fmt: skip
async def list_plays(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Play.all(), "surveys", "view")
    if p["station"]:
        qs = qs.filter(station_id=p["station"])
    if p["content"]:
        qs = qs.filter(content=p["content"])
    rows, nxt = await newest_first(time_range(qs, p, "hour"), p)
    return page([play_view(r) for r in rows], nxt)


@api.endpoint("GET", "/api/v1/plays/report",
              "How often each ad played, for how long and how often with a customer present, "
              "per file (its name kept after it is deleted) or per station; the last 30 days "
              "unless since/until say",
              (Param("by", str, "Group by", default="content", choices=("content", "station")),
               STATION, SINCE, UNTIL, export.FORMAT),
              access=VIEW, responses=export.FILE)  # fmt: skip
async def plays_report(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    f = await export.report_filter(request, p, "surveys", days=30)
    qs = Play.filter(hour__gte=f.since, hour__lt=f.until)
    if f.stations is not None:
        qs = qs.filter(station_id__in=list(f.stations))
    if f.station:
        qs = qs.filter(station_id=f.station)
    col = "content" if p["by"] == "content" else "station_id"
    totals = await (qs.annotate(n=Sum("plays"), secs=Sum("seconds"), seen=Sum("present"),
                                bad=Sum("errors")).group_by(col)
                    .values(col, "n", "secs", "seen", "bad"))  # fmt: skip
    names = {}
    if col == "content":
        keys = [r[col] for r in totals]
        names = {c.sha256: c.name for c in await Content.filter(sha256__in=keys)}
    rows = []
    for r in sorted(totals, key=lambda r: -int(r["n"] or 0)):
        row: dict[str, Any] = {p["by"]: r[col]}
        if col == "content":
            row["name"] = names.get(r[col], "")
        n, seen = int(r["n"] or 0), int(r["seen"] or 0)
        row["plays"], row["seconds"] = n, round(float(r["secs"] or 0), 1)
        row["with_customer"] = seen
        row["with_customer_pct"] = round(100 * seen / n, 1) if n else None
        row["errors"] = int(r["bad"] or 0)
        rows.append(row)
    return await export.table(request, p["format"] or "json", f"plays-by-{p['by']}", rows)
