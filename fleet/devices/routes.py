"""Devices under ``/api/v1/devices``: the registry with live state, telemetry, events, and
commands to devices."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, StringConstraints

from crmsensor.errors import ConfigError
from crmsensor.protocol.messages import COMMAND_OPS, DEVICE_KINDS
from fleet.alerts.store import devices_alerting, open_alert_views
from fleet.devices.commands import MAX_TTL_S, command_view, queue_command
from fleet.devices.models import Command, Device, Event, Telemetry, TelemetryHourly
from fleet.devices.registry import (
    VIEW_FIELDS,
    DeviceSpec,
    decommission,
    device_view,
    move,
    register,
    station_of,
    view_of_row,
)
from fleet.office.guard import check_object, missing, scoped
from fleet.state import CA, INGEST, PRESENCE
from fleet.webapi import (
    AFTER,
    COMMAND_ID,
    DEVICE_ID,
    LIMIT,
    SINCE,
    UNTIL,
    Access,
    Api,
    Body,
    JsonValue,
    Param,
    config_error,
    cursor,
    int_in,
    newest_first,
    page,
    time_range,
)

api = Api()

# renew_cert carries a private key (only the renewal job sends it); ota is sent by a delivery
# (POST /api/v1/devices/{id}/update), which tracks it
FLEET_ONLY_OPS = ("renew_cert", "ota")


VIEW = Access("devices", "view")
COMMAND = Access("devices", "command")
MANAGE = Access("devices", "manage")


async def _device(request: web.Request, function: str = "view") -> Device:
    """The path's device, if the caller may do ``function`` on it (else 403, or 404 for a
    caller who sees every station and asks for a device that does not exist)."""
    device_id = request.match_info["device_id"]
    what = f"device {device_id!r}"
    device = await Device.get_or_none(id=device_id)  # the path's pattern bounds it
    if device is None:
        raise await missing(request, "devices", function, what)
    await check_object(request, "devices", function, device.station_id, what)  # type: ignore[attr-defined]
    return device


DeviceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{1,31}$")]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class DeviceRegistration(Body):
    """A device to register, or an existing one's new kind, station, hardware or tags."""

    id: DeviceId
    kind: Literal["badge", "kiosk"]
    station: Annotated[str, StringConstraints(pattern=r"^([a-z0-9][a-z0-9._-]{0,63})?$")] = ""
    hw: Annotated[str, StringConstraints(max_length=32)] = ""
    tags: Annotated[list[Tag], Field(max_length=32)] = []


class MoveBody(Body):
    """A device's new station."""

    station: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]


class CommandRequest(Body):
    """A command to queue for a device."""

    op: Literal[tuple(op for op in COMMAND_OPS if op not in FLEET_ONLY_OPS)]  # type: ignore[valid-type]
    args: dict[str, JsonValue] | None = None
    ttl_s: int_in(1, MAX_TTL_S) = 3600  # type: ignore[valid-type]


DEVICE_FILTERS = (
    Param("kind", str, "badge or kiosk", choices=DEVICE_KINDS),
    Param("station", str, "Station id", max_len=64),
    Param("region", str, "Region name", max_len=100),
    Param("online", bool, "Only online (true) or offline (false) devices"),
    Param("tag", str, "Devices carrying this tag", max_len=32),
    Param("alerting", bool, "Only devices with (true) or without (false) open alerts"),
)


@api.endpoint(
    "GET",
    "/api/v1/devices",
    "Devices with live state (only those in the caller's scope)",
    (*DEVICE_FILTERS, LIMIT, cursor(r"^[a-z0-9_-]{1,32}$", 32)),
    access=VIEW,
)
async def list_devices(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Device.all(), "devices", "view")
    if p["kind"]:
        qs = qs.filter(kind=p["kind"])
    if p["station"]:
        qs = qs.filter(station_id=p["station"])
    if p["region"]:
        qs = qs.filter(station__region__name=p["region"])
    if p["online"] is not None:
        qs = qs.filter(online=p["online"])
    if p["alerting"] is not None:
        open_alerts = devices_alerting()
        qs = qs.filter(id__in=open_alerts) if p["alerting"] else qs.exclude(id__in=open_alerts)
    if p["tag"]:
        qs = qs.filter(tag_rows__tag=p["tag"])
    if p["after"]:
        qs = qs.filter(id__gt=p["after"])
    # Plain rows, not model objects: a page of 1,000 devices costs a fifth of the time.
    rows = await qs.order_by("id").limit(p["limit"] + 1).values(*VIEW_FIELDS)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return page([view_of_row(r) for r in rows], rows[-1]["id"] if more else None)


@api.endpoint(
    "POST",
    "/api/v1/devices",
    "Register or update a device (at a station in the caller's scope)",
    access=MANAGE,
    body=DeviceRegistration,
    status=201,
)
async def register_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: DeviceRegistration = p["body"]
    where = f"station {body.station!r}" if body.station else "devices without a station"
    await check_object(request, "devices", "manage", body.station or None, where)
    existing = await Device.get_or_none(id=body.id)
    if existing is not None:  # moving a device needs its current station in scope too
        station_now = existing.station_id  # type: ignore[attr-defined]
        await check_object(request, "devices", "manage", station_now, f"device {body.id!r}")
    try:
        device = await register(DeviceSpec(body.id, body.kind, body.station, body.hw, body.tags))
    except ConfigError as exc:
        raise config_error(exc) from None
    await device.refresh_from_db()
    return web.json_response(device_view(device), status=201)


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}",
    "One device, with its open alerts",
    path_patterns={"device_id": DEVICE_ID},
    access=VIEW,
)
async def get_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    alerts = await open_alert_views(device.id)
    return web.json_response({**device_view(device), "alerts": alerts})


def _row(r: Telemetry | Event) -> dict[str, Any]:
    out: dict[str, Any] = {"received_at": r.received_at.isoformat(), "seq": r.seq, "ts": r.ts}
    if isinstance(r, Event):
        out["type"] = r.type
    out["data"] = r.data
    return out


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/telemetry",
    "Raw telemetry, newest first",
    (SINCE, UNTIL, LIMIT, AFTER),
    path_patterns={"device_id": DEVICE_ID},
    access=VIEW,
)
async def device_telemetry(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = time_range(Telemetry.filter(device=device), p, "received_at")
    rows, nxt = await newest_first(qs, p)
    return page([_row(r) for r in rows], nxt)


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/telemetry/hourly",
    "Hourly aggregates of numeric telemetry ({field: [n, min, max, sum]}), newest first",
    (SINCE, UNTIL, LIMIT, AFTER),
    path_patterns={"device_id": DEVICE_ID},
    access=VIEW,
)
async def device_hourly(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = time_range(TelemetryHourly.filter(device=device), p, "hour")
    rows, nxt = await newest_first(qs, p)
    return page(
        [{"hour": r.hour.isoformat(), "count": r.count, "stats": r.stats} for r in rows], nxt
    )


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/events",
    "Events, newest first",
    (Param("type", str, "Only this event type", max_len=16), SINCE, UNTIL, LIMIT, AFTER),
    path_patterns={"device_id": DEVICE_ID},
    access=VIEW,
)
async def device_events(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = time_range(Event.filter(device=device), p, "received_at")
    if p["type"]:
        qs = qs.filter(type=p["type"])
    rows, nxt = await newest_first(qs, p)
    return page([_row(r) for r in rows], nxt)


@api.endpoint(
    "POST",
    "/api/v1/devices/{device_id}/commands",
    "Queue a command; it is sent while the device is online, until answered or expired",
    path_patterns={"device_id": DEVICE_ID},
    access=COMMAND,
    body=CommandRequest,
    status=201,
)
async def post_command(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request, "command")
    body: CommandRequest = p["body"]
    try:
        cmd = await queue_command(device.id, body.op, body.args, body.ttl_s)
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response(command_view(cmd), status=201)


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/commands",
    "The device's commands, newest first",
    (
        Param("state", str, "Only this state", choices=("queued", "sent", "done", "expired")),
        LIMIT,
        cursor(r"^c-[0-9a-f]{16}$", 18),
    ),
    path_patterns={"device_id": DEVICE_ID},
    access=VIEW,
)
async def list_commands(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = Command.filter(device=device)
    if p["state"]:
        qs = qs.filter(state=p["state"])
    if p["after"]:
        ref = await Command.get_or_none(id=p["after"], device=device)
        if ref is None:  # expired or never this device's: nothing comes after it
            return page([], None)
        qs = qs.filter(created_at__lte=ref.created_at).exclude(id=ref.id)
    rows = await qs.order_by("-created_at", "-id").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return page([command_view(c) for c in rows], rows[-1].id if more else None)


@api.endpoint(
    "GET",
    "/api/v1/commands/{command_id}",
    "One command and its result",
    access=VIEW,
    path_patterns={"command_id": COMMAND_ID},
)
async def get_command(request: web.Request, p: dict[str, Any]) -> web.Response:
    command_id = request.match_info["command_id"]
    what = f"command {command_id!r}"
    cmd = await Command.get_or_none(id=command_id)
    if cmd is None:
        raise await missing(request, "devices", "view", what)
    station = await station_of(cmd.device_id)  # type: ignore[attr-defined]
    await check_object(request, "devices", "view", station, what)
    return web.json_response(command_view(cmd))


@api.endpoint(
    "PUT",
    "/api/v1/devices/{device_id}/station",
    "Move a device to another station (both in the caller's scope; a new station is created bare)",
    path_patterns={"device_id": DEVICE_ID},
    access=MANAGE,
    body=MoveBody,
)
async def move_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request, "manage")
    station = p["body"].station
    await check_object(request, "devices", "manage", station, f"station {station!r}")
    moved = await move(device.id, station)
    await moved.refresh_from_db()
    return web.json_response(device_view(moved))


@api.endpoint(
    "POST",
    "/api/v1/devices/{device_id}/decommission",
    "Take a device out of service: its messages are refused, its certificates revoked and "
    "its ACL entry removed (within the ACL sync period); its history is kept. Registering it "
    "again puts it back (with a new certificate from provisioning)",
    path_patterns={"device_id": DEVICE_ID},
    access=MANAGE,
)
async def decommission_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request, "manage")
    changed = await decommission(device.id, datetime.now(UTC))
    request.app[INGEST].forget_device(device.id)
    request.app[PRESENCE].forget(device.id)
    revoked = []
    ca = request.app[CA]
    if ca is not None:
        revoked = [f"{e.serial:x}" for e in ca.revoke_name(device.id, "cessation_of_operation")]
    await device.refresh_from_db()
    return web.json_response(
        {**device_view(device), "changed": changed, "revoked_certificates": revoked}
    )
