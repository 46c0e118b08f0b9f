"""Recordings as the API and the web office show them."""

from typing import Any

from fleet.devices.registry import iso
from fleet.recordings.models import Recording


def recording_view(r: Recording) -> dict[str, Any]:
    """The JSON shape of a recording in the API."""
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


async def latest(device_id: str, limit: int) -> list[dict[str, Any]]:
    """A device's newest recordings."""
    rows = await Recording.filter(device_id=device_id).order_by("-id").limit(limit)
    return [recording_view(r) for r in rows]
