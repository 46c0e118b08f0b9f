"""An object from the store over HTTP, honouring a single ``Range`` (media players seek with
it; devices resume a cut download with it). Recordings' audio and releases' bundles use it."""

import logging
import re

from aiohttp import web

from fleet.office.guard import skip_audit
from fleet.recordings.objects import ObjectStore
from fleet.webapi import not_found

log = logging.getLogger("fleet.ranges")
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


async def stream_object(
    request: web.Request,
    store: ObjectStore,
    key: str,
    size: int,
    content_type: str,
    etag: str | None = None,
) -> web.StreamResponse:
    """The object ``key`` (``size`` bytes): whole (200), the asked range (206), or 416."""
    start, end, status = 0, size, 200
    header = request.headers.get("Range")
    if header:
        rng = parse_range(header, size)
        if rng is None:
            return web.json_response(
                {"error": f"range {header[:60]!r} is not satisfiable for {size} bytes"},
                status=416,
                headers={"Content-Range": f"bytes */{size}"},
            )
        (start, end), status = rng, 206
    resp = web.StreamResponse(status=status)
    resp.content_type = content_type
    resp.content_length = end - start
    resp.headers["Accept-Ranges"] = "bytes"
    if etag is not None:
        resp.headers["ETag"] = etag
    if status == 206:
        resp.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    await resp.prepare(request)
    try:
        async for data in store.read(key, start, end):
            await resp.write(data)
        await resp.write_eof()
    except ConnectionError:
        # the listener went away (a player that only wanted the header, a page left): the
        # rest is not wanted, and that is not the server's error
        log.debug("%s: the client left after part of %s", request.path, key)
    return resp


async def stream_audio(
    request: web.Request, store: ObjectStore, key: str, etag: str, what: str
) -> web.StreamResponse:
    """Audio (a WAV object) for a player: 404 naming ``what`` when the object is gone; a
    player's later ranges are not audited again (the listen was logged at its start)."""
    size = await store.size(key)
    if size is None:
        raise not_found(f"{what}: the object is missing from the store")
    header = request.headers.get("Range")
    rng = parse_range(header, size) if header else None
    if rng is not None and rng[0] > 0:
        skip_audit(request)
    return await stream_object(request, store, key, size, "audio/wav", etag)
