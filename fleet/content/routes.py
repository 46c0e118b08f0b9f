"""The content library under ``/api/v1/content``: ad files (JPG, PNG, MP4) uploaded, checked
(type by their bytes, size, resolution, a video's codec and length: fleet/content/media.py),
thumbnailed, listed, previewed and deleted. A file is named by its SHA-256; the kiosks fetch it
through their screen's token (fleet/surveys/screen_routes.py)."""

import asyncio
import hashlib
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from fleet.content import media
from fleet.content.models import Content, content_key, thumb_key
from fleet.office.access import add_role_functions, add_section
from fleet.office.guard import principal_of
from fleet.ranges import stream_object
from fleet.state import OBJECTS
from fleet.surveys import plans
from fleet.webapi import LIMIT, Access, Api, Param, bad_request, conflict, not_found, page

add_section("content", ("view", "manage"))
add_role_functions("marketer", "content", ("view", "manage"))
add_role_functions("auditor", "content", ("view",))

api = Api()
VIEW = Access("content", "view")
MANAGE = Access("content", "manage", audit="content.change")
SHA = {"sha256": r"^[0-9a-f]{64}$"}
_PART = 1 << 16
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "maxLength": 200,
                             "description": "What to call it (default: the file's name)"},
                    "file": {"type": "string", "format": "binary"},
                },
            }
        }
    },
}  # fmt: skip
REFUSED = {"409": {"description": "Refused: the JSON `error` says what is wrong with the file"}}


def content_view(c: Content) -> dict[str, Any]:
    return {"sha256": c.sha256, "name": c.name, "type": c.type, "size": c.size,
            "width": c.width, "height": c.height, "seconds": c.seconds, "codec": c.codec,
            "uploaded_by": c.uploaded_by, "created_at": c.created_at.isoformat(),
            "deleted": c.deleted_at is not None,
            "thumbnail": f"/api/v1/content/{c.sha256}/thumbnail"}  # fmt: skip


async def _read_upload(request: web.Request, folder: Path) -> tuple[Path, str, str]:
    """The uploaded file (written to ``folder``), its SHA-256 and its name."""
    if not request.content_type.startswith("multipart/"):
        raise bad_request("send multipart/form-data with a file part")
    path, digest, name, got = folder / "upload", hashlib.sha256(), "", False
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name not in ("name", "file"):
                raise bad_request("the upload's parts are name and file")
            if part.name == "name":
                name = (await part.text()).strip()[:200]
                continue
            got, size = True, 0
            name = name or (part.filename or "")[:200]
            with path.open("wb") as f:
                while chunk := await part.read_chunk(_PART):
                    size += len(chunk)
                    if size > media.MAX_VIDEO_BYTES:
                        raise conflict(f"larger than {media.MAX_VIDEO_BYTES // 2**20} MB")
                    digest.update(chunk)
                    f.write(chunk)
    except ValueError as exc:  # aiohttp: a malformed multipart body
        raise bad_request(f"malformed multipart body: {exc}") from None
    if not got:
        raise bad_request("the upload has no file part")
    return path, digest.hexdigest(), name or "untitled"


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(_PART):
            yield chunk


async def _bytes(data: bytes) -> AsyncIterator[bytes]:
    yield data


@api.endpoint("POST", "/api/v1/content",
              "Upload an ad file: JPG or PNG (240-3840 pixels a side, up to 20 MB) or MP4 "
              "(H.264, VP9 or AV1; 1-600 s; up to 300 MB); the same bytes twice are one file",
              access=MANAGE, status=201, request_body=UPLOAD_BODY, responses=REFUSED)  # fmt: skip
async def upload(request: web.Request, p: dict[str, Any]) -> web.Response:
    store = request.app[OBJECTS]
    with tempfile.TemporaryDirectory(prefix="crms-content-") as tmp:
        path, sha, name = await _read_upload(request, Path(tmp))
        try:
            info = await asyncio.to_thread(media.inspect, path)
            thumb = await asyncio.to_thread(media.thumbnail, path, info)
        except media.MediaRefused as exc:
            raise conflict(f"{name}: {exc}") from None
        await store.put(content_key(sha), _chunks(path))
        await store.put(thumb_key(sha), _bytes(thumb))
        size = path.stat().st_size
    c = await Content.get_or_none(sha256=sha)
    if c is None:
        c = await Content.create(
            sha256=sha, name=name, type=info.type, size=size, width=info.width,
            height=info.height, seconds=info.seconds, codec=info.codec,
            uploaded_by=principal_of(request).name,
        )  # fmt: skip
    elif c.deleted_at is not None:  # uploaded again after a delete: back in the library
        c.deleted_at, c.name = None, name
        await c.save(update_fields=["deleted_at", "name"])
    return web.json_response(content_view(c), status=201)


@api.endpoint("GET", "/api/v1/content", "The library, newest first",
              (Param("deleted", bool, "Include deleted files (kept for proof of play)"), LIMIT),
              access=VIEW)  # fmt: skip
async def list_content(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = Content.all() if p["deleted"] else Content.filter(deleted_at__isnull=True)
    rows = await qs.order_by("-created_at", "sha256").limit(p["limit"])
    return page([content_view(c) for c in rows], None)


async def _content(request: web.Request, live: bool = False) -> Content:
    sha = request.match_info["sha256"]
    c = await Content.get_or_none(sha256=sha)
    if c is None or (live and c.deleted_at is not None):
        raise not_found(f"no content {sha[:12]}")
    return c


@api.endpoint("GET", "/api/v1/content/{sha256}", "One file's details",
              path_patterns=SHA, access=VIEW)  # fmt: skip
async def get_content(request: web.Request, p: dict[str, Any]) -> web.Response:
    return web.json_response(content_view(await _content(request)))


@api.endpoint("GET", "/api/v1/content/{sha256}/thumbnail", "A JPEG 320 pixels wide",
              path_patterns=SHA, access=VIEW, content_type="image/jpeg")  # fmt: skip
async def get_thumbnail(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    c = await _content(request, live=True)
    store = request.app[OBJECTS]
    size = await store.size(thumb_key(c.sha256))
    if size is None:
        raise not_found("no thumbnail")
    return await stream_object(request, store, thumb_key(c.sha256), size, "image/jpeg")


@api.endpoint("GET", "/api/v1/content/{sha256}/file", "The file itself, to preview (HTTP Range)",
              path_patterns=SHA, access=VIEW, content_type="application/octet-stream")  # fmt: skip
async def get_file(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    c = await _content(request, live=True)
    store = request.app[OBJECTS]
    size = await store.size(content_key(c.sha256))
    if size is None:
        raise not_found("the file's bytes are missing")
    return await stream_object(request, store, content_key(c.sha256), size, c.type, f'"{c.sha256}"')


@api.endpoint("DELETE", "/api/v1/content/{sha256}",
              "Delete a file no live scenario plays (its proof of play stays)",
              path_patterns=SHA, access=MANAGE, responses=REFUSED)  # fmt: skip
async def delete_content(request: web.Request, p: dict[str, Any]) -> web.Response:
    c = await _content(request, live=True)
    users = sorted({s.id for s, v in await plans.live_versions()
                    for i in v.body.get("playlist", []) if i["content"] == c.sha256})  # fmt: skip
    if users:
        raise conflict(f"{c.name} is in the playlist of {', '.join(users)}: take it out first")
    c.deleted_at = datetime.now(UTC)
    await c.save(update_fields=["deleted_at"])
    store = request.app[OBJECTS]
    await store.delete(content_key(c.sha256))
    await store.delete(thumb_key(c.sha256))
    return web.json_response(content_view(c))
