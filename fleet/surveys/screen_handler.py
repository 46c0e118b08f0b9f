"""Ingest's handler for what the kiosks' screens report (checked by the codec): ``play`` events
are the proof of play, a kiosk's tally of a file for an hour, stored once in the batch's
transaction (a kiosk that was offline backfills them in order); ``screen`` events say what a
kiosk made of its plan."""

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
        seen: set[tuple[str, datetime, str, str, int]] = set()
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
            at = datetime.fromtimestamp(d["hour"], UTC)
            key = (msg.device_id, at, d["content"], d["scenario"], d["version"])
            # sent again after a kiosk crashed between queueing and forgetting it: stored once.
            # Looked up, not caught: a unique violation would abort the batch on PostgreSQL
            if key in seen or await Play.exists(device_id=key[0], hour=at, content=key[2],
                                                scenario=key[3], version=key[4]):  # fmt: skip
                batch.ignore("duplicate_play")
                continue
            seen.add(key)
            if msg.device_id not in stations:
                kiosk = await Device.get_or_none(id=msg.device_id)
                stations[msg.device_id] = kiosk.station_id if kiosk else None  # type: ignore[attr-defined]
            await Play.create(
                device_id=msg.device_id, station_id=stations[msg.device_id], seq=msg.seq,
                content=d["content"], scenario=d["scenario"], version=d["version"], hour=at,
                plays=d["plays"], seconds=d["seconds"], present=d["present"],
                errors=d.get("errors", 0), reason=d.get("reason", ""),
                received_at=item.received_at,
            )  # fmt: skip
