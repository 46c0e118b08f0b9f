"""Recordings under ``/api/v1/recordings``: search, metadata, and the audio (original and
enhanced) with HTTP Range."""

from typing import Any

from aiohttp import web
from tortoise.expressions import Q

from fleet.office.guard import check_object, missing, scoped
from fleet.ranges import stream_audio
from fleet.recordings.models import Recording
from fleet.recordings.views import recording_view
from fleet.state import OBJECTS
from fleet.webapi import (
    AFTER,
    LIMIT,
    ROW_ID,
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
VIEW = Access("recordings", "view")
LISTEN = Access("recordings", "download", audit="recording.listen")
AUDIO_RESPONSES = {
    "206": {
        "description": "Partial content",
        "content": {"audio/wav": {"schema": {"type": "string"}}},
    },
    "416": {"description": "Range not satisfiable"},
}


@api.endpoint(
    "GET",
    "/api/v1/recordings",
    "Search recordings, newest first",
    (
        Param("device", str, "Device id", max_len=32),
        Param("station", str, "Station id", max_len=64),
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
    access=VIEW,
)
async def list_recordings(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Recording.all(), "recordings", "view")
    qs = time_range(qs, p, "created_at")
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
    rows, nxt = await newest_first(qs, p)
    return page([recording_view(r) for r in rows], nxt)


async def _recording(request: web.Request, function: str = "view") -> Recording:
    """The path's recording, if the caller may do ``function`` on it (403 otherwise, and for
    a missing one unless the caller sees every station: then 404)."""
    raw = request.match_info["recording_id"]
    what = f"recording {raw!r}"
    rec = await Recording.get_or_none(id=int(raw))  # the path's pattern makes it an integer
    if rec is None:
        raise await missing(request, "recordings", function, what)
    await check_object(request, "recordings", function, rec.station_id, what)  # type: ignore[attr-defined]
    return rec


@api.endpoint(
    "GET",
    "/api/v1/recordings/{recording_id}",
    "One recording",
    path_patterns={"recording_id": ROW_ID},
    access=VIEW,
)
async def get_recording(request: web.Request, p: dict[str, Any]) -> web.Response:
    return web.json_response(recording_view(await _recording(request)))


@api.endpoint(
    "GET",
    "/api/v1/recordings/{recording_id}/audio",
    "The recording's WAV file; honours a single HTTP Range. Listening is audited",
    path_patterns={"recording_id": ROW_ID},
    access=LISTEN,
    responses=AUDIO_RESPONSES,
    content_type="audio/wav",
)
async def recording_audio(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    rec = await _recording(request, "download")
    return await _stream_object(request, rec.object_key, f'"{rec.sha256}"', f"recording {rec.id}")


@api.endpoint(
    "GET",
    "/api/v1/recordings/{recording_id}/enhanced",
    "The recording's noise-suppressed copy (16-bit PCM WAV, for speech recognition); 404 while "
    "it is pending or when it could not be made (the recording's enhance_error says why). "
    "Listening is audited",
    path_patterns={"recording_id": ROW_ID},
    access=Access("recordings", "download", audit="recording.listen_enhanced"),
    responses=AUDIO_RESPONSES,
    content_type="audio/wav",
)
async def recording_enhanced(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    rec = await _recording(request, "download")
    if rec.enhanced_key is None:
        why = rec.enhance_error or "it is pending"
        raise not_found(f"recording {rec.id} has no enhanced copy: {why}")
    tag = f'"{rec.sha256}-enhanced"'
    what = f"recording {rec.id}'s enhanced copy"
    return await _stream_object(request, rec.enhanced_key, tag, what)


async def _stream_object(
    request: web.Request, key: str, etag: str, what: str
) -> web.StreamResponse:
    return await stream_audio(request, request.app[OBJECTS], key, etag, what)
