"""REST API under ``/api/v1`` (read side for now) and the first devices page."""

from importlib import resources
from typing import Any

from aiohttp import web

from fleet import models
from fleet.registry import device_view
from fleet.state import INGEST, MQTT_CONNECTED

routes = web.RouteTableDef()

_MAX_LIMIT = 1000


def _limit(request: web.Request) -> int:
    raw = request.query.get("limit", "100")
    try:
        limit = int(raw)
    except ValueError:
        raise web.HTTPBadRequest(text=f"limit must be an integer, got {raw!r}") from None
    if not 1 <= limit <= _MAX_LIMIT:
        raise web.HTTPBadRequest(text=f"limit must be 1-{_MAX_LIMIT}, got {limit}")
    return limit


async def _device(request: web.Request) -> models.Device:
    device = await models.Device.get_or_none(id=request.match_info["device_id"])
    if device is None:
        raise web.HTTPNotFound(text=f"no device {request.match_info['device_id']!r}")
    return device


@routes.get("/")
async def index(request: web.Request) -> web.Response:
    """The devices page: a table refreshed from ``/api/v1/devices``."""
    html = resources.files("fleet").joinpath("web/index.html").read_text()
    return web.Response(text=html, content_type="text/html")


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """Liveness, and whether the MQTT link is up (``503`` while it is not)."""
    mqtt = request.app[MQTT_CONNECTED].is_set()
    return web.json_response({"ok": mqtt, "mqtt": mqtt}, status=200 if mqtt else 503)


@routes.get("/api/v1/devices")
async def list_devices(request: web.Request) -> web.Response:
    """Every device with its live state, ordered by id."""
    devices = await models.Device.all().order_by("id")
    return web.json_response({"devices": [device_view(d) for d in devices]})


@routes.get("/api/v1/devices/{device_id}")
async def get_device(request: web.Request) -> web.Response:
    """One device."""
    return web.json_response(device_view(await _device(request)))


def _row(r: models.Telemetry | models.Event) -> dict[str, Any]:
    out: dict[str, Any] = {"received_at": r.received_at.isoformat(), "seq": r.seq, "ts": r.ts}
    if isinstance(r, models.Event):
        out["type"] = r.type
    out["data"] = r.data
    return out


@routes.get("/api/v1/devices/{device_id}/telemetry")
async def device_telemetry(request: web.Request) -> web.Response:
    """The device's newest telemetry messages, newest first."""
    device = await _device(request)
    rows = await models.Telemetry.filter(device=device).order_by("-id").limit(_limit(request))
    return web.json_response({"telemetry": [_row(r) for r in rows]})


@routes.get("/api/v1/devices/{device_id}/events")
async def device_events(request: web.Request) -> web.Response:
    """The device's newest events, newest first."""
    device = await _device(request)
    rows = await models.Event.filter(device=device).order_by("-id").limit(_limit(request))
    return web.json_response({"events": [_row(r) for r in rows]})


@routes.get("/api/v1/ingest")
async def ingest_stats(request: web.Request) -> web.Response:
    """What ingest accepted, rejected (per reason) and stored."""
    ingest = request.app[INGEST]
    return web.json_response({**ingest.stats.as_dict(), "queued": ingest.queue.qsize()})
