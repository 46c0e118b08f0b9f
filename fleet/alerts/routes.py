"""Alerts under ``/api/v1/alerts``."""

from datetime import UTC, datetime
from typing import Annotated, Any

from aiohttp import web
from pydantic import StringConstraints

from fleet.alerts import store
from fleet.alerts.models import Alert
from fleet.alerts.store import alert_view
from fleet.notify.outbox import deliveries_of
from fleet.office.guard import check_object, missing, principal_of, scoped
from fleet.webapi import (
    AFTER,
    LIMIT,
    ROW_ID,
    Access,
    Api,
    Body,
    Param,
    newest_first,
    page,
)

api = Api()
ACK = Access("alerts", "acknowledge")


@api.endpoint(
    "GET",
    "/api/v1/alerts",
    "Alerts, newest first",
    (
        Param("open", bool, "Only open (true) or closed (false) alerts"),
        Param("device", str, "Device id", max_len=32),
        Param("rule", str, "Rule name", max_len=32),
        LIMIT,
        AFTER,
    ),
    access=Access("alerts", "view"),
)
async def list_alerts(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Alert.all(), "alerts", "view", "device__station_id")
    if p["open"] is not None:
        qs = qs.filter(closed_at__isnull=p["open"])
    if p["device"]:
        qs = qs.filter(device_id=p["device"])
    if p["rule"]:
        qs = qs.filter(rule=p["rule"])
    rows, nxt = await newest_first(qs, p)
    return page([alert_view(a) for a in rows], nxt)


class NoteBody(Body):
    """A comment on an alert."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


async def _alert(request: web.Request, function: str) -> Alert:
    raw = request.match_info["alert_id"]
    what = f"alert {raw!r}"
    alert = await store.get(int(raw))  # the path's pattern makes it an integer
    if alert is None:
        raise await missing(request, "alerts", function, what)
    await check_object(request, "alerts", function, await store.station_of_alert(alert), what)
    return alert


@api.endpoint(
    "GET",
    "/api/v1/alerts/{alert_id}",
    "One alert with its comments and every notification sent about it",
    path_patterns={"alert_id": ROW_ID},
    access=Access("alerts", "view"),
)
async def get_alert(request: web.Request, p: dict[str, Any]) -> web.Response:
    alert = await _alert(request, "view")
    return web.json_response(
        {
            **alert_view(alert),
            "notes": await store.notes(alert),
            "notifications": await deliveries_of("", str(alert.id)),
        }
    )


@api.endpoint(
    "POST",
    "/api/v1/alerts/{alert_id}/acknowledge",
    "Acknowledge an alert (stops its escalation)",
    path_patterns={"alert_id": ROW_ID},
    access=ACK,
)
async def acknowledge(request: web.Request, p: dict[str, Any]) -> web.Response:
    alert = await _alert(request, "acknowledge")
    who = principal_of(request).name
    return web.json_response(alert_view(await store.acknowledge(alert, who, _now())))


@api.endpoint(
    "POST",
    "/api/v1/alerts/{alert_id}/resolve",
    "Close an alert by hand (a rule that still fires opens a new one)",
    path_patterns={"alert_id": ROW_ID},
    access=ACK,
)
async def resolve(request: web.Request, p: dict[str, Any]) -> web.Response:
    alert = await _alert(request, "acknowledge")
    who = principal_of(request).name
    return web.json_response(alert_view(await store.resolve(alert, who, _now())))


@api.endpoint(
    "POST",
    "/api/v1/alerts/{alert_id}/notes",
    "Comment on an alert",
    path_patterns={"alert_id": ROW_ID},
    access=ACK,
    body=NoteBody,
    status=201,
)
async def add_note(request: web.Request, p: dict[str, Any]) -> web.Response:
    alert = await _alert(request, "acknowledge")
    note = await store.comment(alert, principal_of(request).name, p["body"].text, _now())
    return web.json_response({"at": note.at.isoformat(), "author": note.author}, status=201)


def _now() -> datetime:
    return datetime.now(UTC)
