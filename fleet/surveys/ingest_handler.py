"""Ingest's handler for the kiosks' ``rating`` events (checked by the codec): each stored once,
in the batch's transaction with the sums the reports read (fleet/surveys/sums.py), and a low
one queued for the station's subscribers."""

from collections.abc import Sequence
from dataclasses import dataclass

from crmsensor.protocol import Event, Message
from fleet.devices.models import Device
from fleet.ingest.batch import Batch, Received
from fleet.notify.outbox import Message as Notice
from fleet.notify.outbox import queue
from fleet.surveys.models import Rating
from fleet.surveys.sums import Pending


@dataclass(frozen=True)
class RatingPolicy:
    """When a rating is low enough to tell the station (fleet settings ``[surveys]``)."""

    nps_below: int = 7  # a detractor (0-6)
    stars_below: int = 3  # a staff rating of 1 or 2


def is_low(r: Rating, policy: RatingPolicy) -> bool:
    stars = [s for s in (r.cashier, r.fuel_attendant, r.shop) if s is not None]
    return (r.nps is not None and r.nps < policy.nps_below) or any(
        s < policy.stars_below for s in stars
    )


def _notice(r: Rating) -> Notice:
    said = [f"NPS {r.nps}"] if r.nps is not None else []
    said += [f"{role} {stars}/5" for role, stars in
             (("cashier", r.cashier), ("fuel attendant", r.fuel_attendant), ("shop", r.shop))
             if stars is not None]  # fmt: skip
    why = f"; reasons: {', '.join(r.reasons)}" if r.reasons else ""
    comment = f'; "{r.comment}"' if r.comment else ""
    return Notice(
        topic="rating", object_id=f"{r.device_id}/{r.seq}", severity="warning",
        station_id=r.station_id, subject=f"Low rating at {r.station_id}: {', '.join(said)}",
        body=f"{', '.join(said)}{why}{comment} (kiosk {r.device_id}, "
             f"{r.received_at.isoformat()})",
        section="surveys",
    )  # fmt: skip


class RatingHandler:
    """One entry of ingest's handler table (fleet/ingest/batch.py)."""

    kinds: tuple[type[Message], ...] = (Event,)

    def __init__(self, policy: RatingPolicy | None = None) -> None:
        self.policy = policy or RatingPolicy()

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        stations: dict[str, str | None] = {}
        seen: set[tuple[str, int, str]] = set()
        sums = Pending()
        for item in items:
            msg = item.message
            if not isinstance(msg, Event) or msg.type != "rating":
                continue
            d, staff = msg.data, msg.data.get("staff", {})
            key = (msg.device_id, msg.seq, d["session"])
            # delivered twice (QoS 1 after a lost PUBACK): stored once. Looked up, not caught:
            # a unique violation would abort the batch's transaction on PostgreSQL (a race
            # with another instance still hits the constraint, and the batch is retried)
            if key in seen or await Rating.exists(device_id=key[0], seq=key[1], session=key[2]):
                batch.ignore("duplicate_rating")
                continue
            seen.add(key)
            if msg.device_id not in stations:
                kiosk = await Device.get_or_none(id=msg.device_id)
                stations[msg.device_id] = kiosk.station_id if kiosk else None  # type: ignore[attr-defined]
            r = await Rating.create(
                device_id=msg.device_id, station_id=stations[msg.device_id], seq=msg.seq,
                session=d["session"], scenario=d["scenario"], version=d["version"],
                lang=d.get("lang", ""), nps=d.get("nps"), cashier=staff.get("cashier"),
                fuel_attendant=staff.get("fuel_attendant"), shop=staff.get("shop"),
                reasons=d.get("reasons", []), comment=d.get("comment", ""),
                received_at=item.received_at,
            )  # fmt: skip
            sums.add(r)
            if is_low(r, self.policy):
                await queue(_notice(r), item.received_at)
        await sums.save()
