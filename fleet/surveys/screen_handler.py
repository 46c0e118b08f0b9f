"""Ingest's handler for what the kiosks' screens report (checked by the codec): ``play`` events
are the proof of play, stored once per (kiosk, seq) in the batch's transaction (a kiosk that
was offline backfills them in order); ``screen`` events say what a kiosk made of its plan."""

from collections.abc import Sequence
from datetime import UTC, datetime

from crmsensor.protocol import Event, Message
from fleet.devices.models import Device
from fleet.ingest.batch import Batch, Received
from fleet.surveys.models import Play, Screen


class ScreenHandler:
    """One entry of ingest's handler table (fleet/ingest/batch.py)."""

    kinds: tuple[type[Message], ...] = (Event,)

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        stations: dict[str, str | None] = {}
        seen: set[tuple[str, int]] = set()
        for item in items:
            msg = item.message
            if not isinstance(msg, Event) or msg.type not in ("play", "screen"):
                continue
            d = msg.data
            if msg.type == "screen":
                await Screen.filter(device_id=msg.device_id).update(
                    state=d["state"], state_plan=d["plan"], state_reason=d.get("reason", ""),
                    state_at=item.received_at,
                )  # fmt: skip
                continue
            key = (msg.device_id, msg.seq)
            # looked up, not caught: a unique violation would abort the batch on PostgreSQL
            if key in seen or await Play.exists(device_id=key[0], seq=key[1]):
                batch.ignore("duplicate_play")
                continue
            seen.add(key)
            if msg.device_id not in stations:
                kiosk = await Device.get_or_none(id=msg.device_id)
                stations[msg.device_id] = kiosk.station_id if kiosk else None  # type: ignore[attr-defined]
            at = datetime.fromtimestamp(msg.ts, UTC) if msg.ts else item.received_at
            await Play.create(
                device_id=msg.device_id, station_id=stations[msg.device_id], seq=msg.seq,
                content=d["content"], scenario=d["scenario"], version=d["version"],
                seconds=d["seconds"], present=d["present"], session=d.get("session", ""),
                ended=d.get("ended", "done"), reason=d.get("reason", ""), played_at=at,
                received_at=item.received_at,
            )  # fmt: skip
