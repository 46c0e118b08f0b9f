"""REST API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``), metrics, health, the first
page. Lists are paginated: ``limit`` and ``after`` in, ``{"items": [...], "next": cursor}`` out
(``next`` is null on the last page)."""

import re
from datetime import datetime
from importlib import resources
from typing import Any

import orjson
from aiohttp import web
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from crmsensor.errors import ConfigError
from crmsensor.protocol.messages import COMMAND_OPS, DEVICE_KINDS
from fleet import metrics, models
from fleet.commands import command_view, queue_command
from fleet.registry import VIEW_FIELDS, DeviceSpec, device_view, iso, register, view_of_row
from fleet.state import INGEST, LINK, OBJECTS
from fleet.webapi import AFTER, LIMIT, Api, Param, bad_request, not_found

api = Api()
FLEET_ONLY_OPS = ("renew_cert",)  # carries a private key; only the renewal job sends it
routes = api.routes

SINCE = Param("since", datetime, "Only items at or after this time (ISO 8601)")
UNTIL = Param("until", datetime, "Only items before this time (ISO 8601)")


def _int_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit():
        raise bad_request(f"after must be a cursor from a previous page, got {after!r}")
    return int(after)


async def _newest_first(qs: QuerySet[Any], p: dict[str, Any]) -> tuple[list[Any], str | None]:
    """A page of rows with integer ids, newest first."""
    cursor = _int_cursor(p["after"])
    if cursor is not None:
        qs = qs.filter(id__lt=cursor)
    rows = await qs.order_by("-id").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return rows, str(rows[-1].id) if more else None


def _page(items: list[Any], next_cursor: str | None) -> web.Response:
    # orjson: a page of 1,000 devices encodes several times faster than with json.dumps
    body = orjson.dumps({"items": items, "next": next_cursor})
    return web.Response(body=body, content_type="application/json")


async def _device(request: web.Request) -> models.Device:
    device_id = request.match_info["device_id"]
    device = await models.Device.get_or_none(id=device_id)
    if device is None:
        raise not_found(f"no device {device_id!r}")
    return device


@routes.get("/")
async def index(request: web.Request) -> web.Response:
    """The devices page: a table refreshed from ``/api/v1/devices``."""
    html = resources.files("fleet").joinpath("web/index.html").read_text()
    return web.Response(text=html, content_type="text/html")


@api.endpoint("GET", "/healthz", "Liveness, and whether the MQTT link is up (503 while not)")
async def healthz(request: web.Request, p: dict[str, Any]) -> web.Response:
    mqtt = request.app[LINK].connected.is_set()
    return web.json_response({"ok": mqtt, "mqtt": mqtt}, status=200 if mqtt else 503)


@api.endpoint("GET", "/metrics", "Prometheus metrics")
async def prometheus(request: web.Request, p: dict[str, Any]) -> web.Response:
    body = metrics.render(request.app[INGEST], request.app[LINK])
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


@api.endpoint("GET", "/api/v1/openapi.json", "This document")
async def openapi(request: web.Request, p: dict[str, Any]) -> web.Response:
    from crmsensor import __version__

    doc = api.openapi("CRMsensor fleet manager", __version__)
    doc["components"] = {"schemas": SCHEMAS}
    return web.json_response(doc)


# --- devices ---------------------------------------------------------------------------------

DEVICE_FILTERS = (
    Param("kind", str, "badge or kiosk", choices=DEVICE_KINDS),
    Param("station", str, "Station id"),
    Param("region", str, "Region name"),
    Param("online", bool, "Only online (true) or offline (false) devices"),
    Param("tag", str, "Devices carrying this tag"),
    Param("alerting", bool, "Only devices with (true) or without (false) open alerts"),
)


@api.endpoint("GET", "/api/v1/devices", "Devices with live state", (*DEVICE_FILTERS, LIMIT, AFTER))
async def list_devices(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = models.Device.all()
    if p["kind"]:
        qs = qs.filter(kind=p["kind"])
    if p["station"]:
        qs = qs.filter(station_id=p["station"])
    if p["region"]:
        qs = qs.filter(station__region__name=p["region"])
    if p["online"] is not None:
        qs = qs.filter(online=p["online"])
    if p["alerting"] is not None:
        open_alerts = Subquery(models.Alert.filter(closed_at=None).values("device_id"))
        qs = qs.filter(id__in=open_alerts) if p["alerting"] else qs.exclude(id__in=open_alerts)
    if p["tag"]:
        qs = qs.filter(tag_rows__tag=p["tag"])
    if p["after"]:
        qs = qs.filter(id__gt=p["after"])
    # Plain rows, not model objects: a page of 1,000 devices costs a fifth of the time.
    rows = await qs.order_by("id").limit(p["limit"] + 1).values(*VIEW_FIELDS)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return _page([view_of_row(r) for r in rows], rows[-1]["id"] if more else None)


REGISTRATION_FIELDS = {"id": str, "kind": str, "station": str, "hw": str, "tags": list}


@api.endpoint("POST", "/api/v1/devices", "Register or update a device", body="DeviceSpec")
async def register_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    body = await _json_body(request)
    for key, value in body.items():
        kind = REGISTRATION_FIELDS.get(key)
        if kind is None:
            raise bad_request(f"unknown field {key!r} (known: {', '.join(REGISTRATION_FIELDS)})")
        if not isinstance(value, kind):
            raise bad_request(f"{key} must be {kind.__name__}")
    if "id" not in body or "kind" not in body:
        raise bad_request("id and kind are required")
    tags = body.get("tags", [])
    if not all(isinstance(t, str) and 0 < len(t) <= 32 for t in tags):
        raise bad_request("tags must be strings of 1-32 characters")
    try:
        device = await register(
            DeviceSpec(body["id"], body["kind"], body.get("station", ""), body.get("hw", ""), tags)
        )
    except ConfigError as exc:
        raise bad_request(str(exc)) from None
    await device.refresh_from_db()
    return web.json_response(device_view(device), status=201)


@api.endpoint("GET", "/api/v1/devices/{device_id}", "One device, with its open alerts")
async def get_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    alerts = await models.Alert.filter(device=device, closed_at=None).order_by("id")
    return web.json_response({**device_view(device), "alerts": [_alert(a) for a in alerts]})


def _row(r: models.Telemetry | models.Event) -> dict[str, Any]:
    out: dict[str, Any] = {"received_at": r.received_at.isoformat(), "seq": r.seq, "ts": r.ts}
    if isinstance(r, models.Event):
        out["type"] = r.type
    out["data"] = r.data
    return out


def _time_range(qs: QuerySet[Any], p: dict[str, Any], field: str) -> QuerySet[Any]:
    if p["since"]:
        qs = qs.filter(**{f"{field}__gte": p["since"]})
    if p["until"]:
        qs = qs.filter(**{f"{field}__lt": p["until"]})
    return qs


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/telemetry",
    "Raw telemetry, newest first",
    (SINCE, UNTIL, LIMIT, AFTER),
)
async def device_telemetry(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = _time_range(models.Telemetry.filter(device=device), p, "received_at")
    rows, nxt = await _newest_first(qs, p)
    return _page([_row(r) for r in rows], nxt)


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/telemetry/hourly",
    "Hourly aggregates of numeric telemetry ({field: [n, min, max, sum]}), newest first",
    (SINCE, UNTIL, LIMIT, AFTER),
)
async def device_hourly(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = _time_range(models.TelemetryHourly.filter(device=device), p, "hour")
    rows, nxt = await _newest_first(qs, p)
    return _page(
        [{"hour": r.hour.isoformat(), "count": r.count, "stats": r.stats} for r in rows], nxt
    )


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/events",
    "Events, newest first",
    (Param("type", str, "Only this event type"), SINCE, UNTIL, LIMIT, AFTER),
)
async def device_events(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = _time_range(models.Event.filter(device=device), p, "received_at")
    if p["type"]:
        qs = qs.filter(type=p["type"])
    rows, nxt = await _newest_first(qs, p)
    return _page([_row(r) for r in rows], nxt)


# --- commands --------------------------------------------------------------------------------


@api.endpoint(
    "POST",
    "/api/v1/devices/{device_id}/commands",
    "Queue a command; it is sent while the device is online, until answered or expired",
    body="CommandRequest",
    responses={"404": {"description": "No such device"}},
)
async def post_command(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    body = await _json_body(request)
    unknown = set(body) - {"op", "args", "ttl_s"}
    if unknown:
        raise bad_request(f"unknown field {sorted(unknown)[0]!r} (known: op, args, ttl_s)")
    ttl = body.get("ttl_s", 3600)
    if not isinstance(ttl, int) or isinstance(ttl, bool):
        raise bad_request("ttl_s must be an integer")
    if body.get("op") in FLEET_ONLY_OPS:
        raise bad_request(f"{body['op']} is sent by the fleet itself (fleet/renewal.py)")
    try:
        cmd = await queue_command(device.id, body.get("op", ""), body.get("args"), ttl)
    except ConfigError as exc:
        raise bad_request(str(exc)) from None
    return web.json_response(command_view(cmd), status=201)


@api.endpoint(
    "GET",
    "/api/v1/devices/{device_id}/commands",
    "The device's commands, newest first",
    (
        Param("state", str, "Only this state", choices=("queued", "sent", "done", "expired")),
        LIMIT,
        Param("after", str, "Cursor", max_len=40),
    ),
)
async def list_commands(request: web.Request, p: dict[str, Any]) -> web.Response:
    device = await _device(request)
    qs = models.Command.filter(device=device)
    if p["state"]:
        qs = qs.filter(state=p["state"])
    if p["after"]:
        ref = await models.Command.get_or_none(id=p["after"])
        if ref is None:
            raise bad_request(f"after must be a cursor from a previous page, got {p['after']!r}")
        qs = qs.filter(created_at__lte=ref.created_at).exclude(id=ref.id)
    rows = await qs.order_by("-created_at", "-id").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return _page([command_view(c) for c in rows], rows[-1].id if more else None)


@api.endpoint("GET", "/api/v1/commands/{command_id}", "One command and its result")
async def get_command(request: web.Request, p: dict[str, Any]) -> web.Response:
    cmd = await models.Command.get_or_none(id=request.match_info["command_id"])
    if cmd is None:
        raise not_found(f"no command {request.match_info['command_id']!r}")
    return web.json_response(command_view(cmd))


# --- stations and hierarchy ------------------------------------------------------------------


def _station(s: models.Station, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "region_id": s.region_id,  # type: ignore[attr-defined]
        "timezone": s.timezone,
        "opening_hours": s.opening_hours,
        "devices": counts.get(s.id, 0),
    }


async def _device_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for sid in await models.Device.exclude(station_id=None).values_list("station_id", flat=True):
        counts[str(sid)] = counts.get(str(sid), 0) + 1
    return counts


@api.endpoint(
    "GET",
    "/api/v1/stations",
    "Stations with their device counts",
    (Param("region", str, "Region name"), LIMIT, AFTER),
)
async def list_stations(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = models.Station.all()
    if p["region"]:
        qs = qs.filter(region__name=p["region"])
    if p["after"]:
        qs = qs.filter(id__gt=p["after"])
    rows = await qs.order_by("id").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    counts = await _device_counts()
    return _page([_station(s, counts) for s in rows], rows[-1].id if more else None)


@api.endpoint("GET", "/api/v1/hierarchy", "Organisations, their regions and station ids")
async def hierarchy(request: web.Request, p: dict[str, Any]) -> web.Response:
    orgs = await models.Organisation.all().order_by("name").prefetch_related("regions")
    stations = await models.Station.all().values_list("id", "region_id")
    by_region: dict[int | None, list[str]] = {}
    for sid, rid in stations:
        by_region.setdefault(rid, []).append(str(sid))
    out = []
    for o in orgs:
        regions = sorted(o.regions, key=lambda r: r.name)
        out.append(
            {
                "organisation": o.name,
                "regions": [
                    {"region": r.name, "stations": sorted(by_region.get(r.id, []))} for r in regions
                ],
            }
        )
    return web.json_response({"organisations": out, "unassigned": sorted(by_region.get(None, []))})


# --- recordings ------------------------------------------------------------------------------


def _recording(r: models.Recording) -> dict[str, Any]:
    return {
        "id": r.id,
        "device": r.device_id,  # type: ignore[attr-defined]
        "station": r.station_id,  # type: ignore[attr-defined]
        "rec_id": r.rec_id,
        "start": iso(r.start),
        "duration_ms": r.duration_ms,
        "codec": r.codec,
        "rate": r.rate,
        "size": r.size,
        "sha256": r.sha256,
        "worn_session": r.worn_session,
        "kiosk_session": r.kiosk_session,
        # {"session", "ms"}: the recording's last ms are that kiosk session's first seconds
        "preroll": (
            {"session": r.preroll_session, "ms": r.preroll_ms} if r.preroll_session else None
        ),
        "created_at": iso(r.created_at),
        "audio": f"/api/v1/recordings/{r.id}/audio",
        "enhanced": f"/api/v1/recordings/{r.id}/enhanced" if r.enhanced_key else None,
        "enhance_error": r.enhance_error,
    }


@api.endpoint(
    "GET",
    "/api/v1/recordings",
    "Search recordings, newest first",
    (
        Param("device", str, "Device id"),
        Param("station", str, "Station id"),
        Param("worn_session", str, "Worn-session id", max_len=40),
        Param(
            "kiosk_session",
            str,
            "Kiosk-session id: the parts inside it and the part whose end is its pre-roll",
            max_len=40,
        ),
        SINCE,
        UNTIL,
        LIMIT,
        AFTER,
    ),
)
async def list_recordings(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = _time_range(models.Recording.all(), p, "created_at")
    for key, column in (
        ("device", "device_id"),
        ("station", "station_id"),
        ("worn_session", "worn_session"),
    ):
        if p[key]:
            qs = qs.filter(**{column: p[key]})
    if p["kiosk_session"]:
        session = p["kiosk_session"]
        qs = qs.filter(Q(kiosk_session=session) | Q(preroll_session=session))
    rows, nxt = await _newest_first(qs, p)
    return _page([_recording(r) for r in rows], nxt)


async def _recording_or_404(request: web.Request) -> models.Recording:
    raw = request.match_info["recording_id"]
    rec = await models.Recording.get_or_none(id=int(raw)) if raw.isdigit() else None
    if rec is None:
        raise not_found(f"no recording {raw!r}")
    return rec


@api.endpoint("GET", "/api/v1/recordings/{recording_id}", "One recording")
async def get_recording(request: web.Request, p: dict[str, Any]) -> web.Response:
    return web.json_response(_recording(await _recording_or_404(request)))


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``Range: bytes=a-b`` -> ``[start, end)``; None when unsatisfiable or malformed."""
    m = _RANGE.fullmatch(header.strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None
    if not m.group(1):  # suffix: the last n bytes
        n = int(m.group(2))
        return (max(0, size - n), size) if n > 0 and size > 0 else None
    start = int(m.group(1))
    end = int(m.group(2)) + 1 if m.group(2) else size
    if start >= size or end <= start:
        return None
    return start, min(end, size)


@api.endpoint(
    "GET",
    "/api/v1/recordings/{recording_id}/audio",
    "The recording's WAV file; honours a single HTTP Range",
    responses={"206": {"description": "Partial content"}, "416": {"description": "Bad range"}},
)
async def recording_audio(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    rec = await _recording_or_404(request)
    return await _stream_object(request, rec.object_key, f'"{rec.sha256}"', f"recording {rec.id}")


@api.endpoint(
    "GET",
    "/api/v1/recordings/{recording_id}/enhanced",
    "The recording's noise-suppressed copy (16-bit PCM WAV, for speech recognition); 404 while "
    "it is pending or when it could not be made (the recording's enhance_error says why)",
    responses={"206": {"description": "Partial content"}, "416": {"description": "Bad range"}},
)
async def recording_enhanced(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    rec = await _recording_or_404(request)
    if rec.enhanced_key is None:
        why = rec.enhance_error or "it is pending"
        raise not_found(f"recording {rec.id} has no enhanced copy: {why}")
    tag = f'"{rec.sha256}-enhanced"'
    what = f"recording {rec.id}'s enhanced copy"
    return await _stream_object(request, rec.enhanced_key, tag, what)


async def _stream_object(
    request: web.Request, key: str, etag: str, what: str
) -> web.StreamResponse:
    """Stream an object as audio/wav, honouring a single HTTP Range."""
    store = request.app[OBJECTS]
    size = await store.size(key)
    if size is None:
        raise not_found(f"{what}: the object is missing from the store")
    start, end, status = 0, size, 200
    header = request.headers.get("Range")
    if header:
        rng = parse_range(header, size)
        if rng is None:
            return web.json_response(
                {"error": f"range {header!r} is not satisfiable for {size} bytes"},
                status=416,
                headers={"Content-Range": f"bytes */{size}"},
            )
        (start, end), status = rng, 206
    resp = web.StreamResponse(status=status)
    resp.content_type = "audio/wav"
    resp.content_length = end - start
    resp.headers["Accept-Ranges"] = "bytes"
    resp.headers["ETag"] = etag
    if status == 206:
        resp.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    await resp.prepare(request)
    async for data in store.read(key, start, end):
        await resp.write(data)
    await resp.write_eof()
    return resp


# --- alerts and ingest -----------------------------------------------------------------------


def _alert(a: models.Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "device": a.device_id,  # type: ignore[attr-defined]
        "rule": a.rule,
        "severity": a.severity,
        "message": a.message,
        "opened_at": iso(a.opened_at),
        "closed_at": iso(a.closed_at),
    }


@api.endpoint(
    "GET",
    "/api/v1/alerts",
    "Alerts, newest first",
    (
        Param("open", bool, "Only open (true) or closed (false) alerts"),
        Param("device", str, "Device id"),
        Param("rule", str, "Rule name"),
        LIMIT,
        AFTER,
    ),
)
async def list_alerts(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = models.Alert.all()
    if p["open"] is not None:
        qs = qs.filter(closed_at__isnull=p["open"])
    if p["device"]:
        qs = qs.filter(device_id=p["device"])
    if p["rule"]:
        qs = qs.filter(rule=p["rule"])
    rows, nxt = await _newest_first(qs, p)
    return _page([_alert(a) for a in rows], nxt)


@api.endpoint("GET", "/api/v1/ingest", "Ingest counters: accepted, rejected by reason, written")
async def ingest_stats(request: web.Request, p: dict[str, Any]) -> web.Response:
    ingest = request.app[INGEST]
    return web.json_response({**ingest.stats.as_dict(), "queued": ingest.queue.qsize()})


async def _json_body(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > 16384:
        raise bad_request("request body over 16 KiB")
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("the request body must be JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


SCHEMAS: dict[str, Any] = {
    "DeviceSpec": {
        "type": "object",
        "required": ["id", "kind"],
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{1,31}$"},
            "kind": {"enum": list(DEVICE_KINDS)},
            "station": {"type": "string"},
            "hw": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    },
    "CommandRequest": {
        "type": "object",
        "required": ["op"],
        "properties": {
            "op": {"enum": [op for op in COMMAND_OPS if op not in FLEET_ONLY_OPS]},
            "args": {"type": "object"},
            "ttl_s": {"type": "integer", "minimum": 1},
        },
    },
}
