"""``GET /api/v1/live``: one Server-Sent Events stream per browser tab, carrying only the
devices that tab shows and its viewer may see; resumable with ``Last-Event-ID``."""

import asyncio
from typing import Any

from aiohttp import web

from fleet.office.guard import principal_of
from fleet.office.live import SUMMARY_EVERY_S, Viewer
from fleet.state import LIVE
from fleet.webapi import Access, Api, Param, bad_request

api = Api()
PING_S = 15.0  # a comment line now and then keeps proxies from closing an idle stream
CHECK_S = 1.0


@api.endpoint(
    "GET",
    "/api/v1/live",
    "Server-Sent Events: with `devices`, a `device` event with the changed fields of each of "
    "them in the caller's scope; without, a `changed` event (how many devices in scope "
    "changed) at most every second; a `reset` event when the page must reload its state. The "
    "stream stays open for clients that accept `text/event-stream` (browsers' EventSource); "
    "for any other client the answer holds what is pending since `Last-Event-ID` and ends",
    (
        Param(
            "devices",
            str,
            "Comma-separated device ids (at most 200)",
            max_len=6600,
            pattern=r"^[a-z0-9_,-]*$",
        ),
    ),
    access=Access("devices", "view"),
    content_type="text/event-stream",
)
async def live(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    wanted = None
    if p["devices"]:
        ids = [d for d in p["devices"].split(",") if d]
        if len(ids) > 200:
            raise bad_request("devices: at most 200 ids")
        wanted = frozenset(ids)
    last_id: int | None = None
    header = request.headers.get("Last-Event-ID", "")
    if header:
        if not header.isdigit() or len(header) > 18:
            raise bad_request(f"Last-Event-ID must be an event id, got {header[:40]!r}")
        last_id = int(header)
    stations = await principal_of(request).stations("devices", "view")
    hub = request.app[LIVE]
    viewer = Viewer(wanted, stations)
    missed = hub.subscribe(viewer, last_id)
    try:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        await response.write(b"retry: 2000\nevent: hello\ndata: {}\n\n")
        if missed is None:
            await response.write(b"event: reset\ndata: {}\n\n")
        else:
            for change in missed:
                await response.write(change.sse())
        if "text/event-stream" not in request.headers.get("Accept", ""):
            return response  # a one-shot poll, not a stream
        await _serve(request, response, viewer)
        return response
    except ConnectionResetError:  # the tab went away
        return response
    finally:
        hub.unsubscribe(viewer)


async def _serve(request: web.Request, response: web.StreamResponse, viewer: Viewer) -> None:
    """Write the viewer's changes as they come (coalesced while the stream is busy); an
    overview's at most every SUMMARY_EVERY_S. Ends when the client leaves or the app stops."""
    quiet = 0.0
    while True:
        try:
            await asyncio.wait_for(viewer.wake.wait(), CHECK_S)
        except TimeoutError:
            # aiohttp does not cancel a handler whose client left: look every CHECK_S
            if request.transport is None or request.transport.is_closing():
                return
            quiet += CHECK_S
            if quiet >= PING_S:
                quiet = 0.0
                await response.write(b": ping\n\n")
            continue
        quiet = 0.0
        if viewer.reset:
            await response.write(b"event: reset\ndata: {}\n\n")
            return
        if viewer.devices is None:
            n, viewer.changed = viewer.changed, 0
            viewer.wake.clear()
            await response.write(b'event: changed\ndata: {"devices": %d}\n\n' % n)
            await asyncio.sleep(SUMMARY_EVERY_S)
        else:
            await response.write(b"".join(c.sse() for c in viewer.take()))
