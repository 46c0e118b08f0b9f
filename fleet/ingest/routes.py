"""Service health, Prometheus metrics and ingest counters."""

from typing import Any

from aiohttp import web

from fleet.ingest import metrics
from fleet.state import INGEST, LINK, PRESENCE, UPLOADS
from fleet.webapi import PUBLIC, Access, Api

api = Api()


@api.endpoint(
    "GET",
    "/healthz",
    "Liveness, and whether the MQTT link is up (503 while not)",
    access=PUBLIC,
    responses={"503": {"description": "The MQTT link is down"}},
)
async def healthz(request: web.Request, p: dict[str, Any]) -> web.Response:
    mqtt = request.app[LINK].connected.is_set()
    return web.json_response({"ok": mqtt, "mqtt": mqtt}, status=200 if mqtt else 503)


@api.endpoint(
    "GET",
    "/metrics",
    "Prometheus metrics (scrape with an API token)",
    access=Access("system", "view"),
    content_type="text/plain",
)
async def prometheus(request: web.Request, p: dict[str, Any]) -> web.Response:
    app = request.app
    body = metrics.render(app[INGEST], app[LINK], app[UPLOADS], app[PRESENCE])
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


@api.endpoint(
    "GET",
    "/api/v1/ingest",
    "Ingest counters: accepted, rejected by reason, written",
    access=Access("system", "view"),
)
async def ingest_stats(request: web.Request, p: dict[str, Any]) -> web.Response:
    ingest = request.app[INGEST]
    return web.json_response({**ingest.stats.as_dict(), "queued": ingest.queue.qsize()})
