"""Ingest's handler for what devices say about their updates: ``ota`` progress events and
the answer to the ``ota`` command (a refusal before anything started) move the delivery."""

import asyncio
from collections.abc import Sequence

from crmsensor.protocol import CommandResult, Event, Message
from fleet.ingest.batch import Batch, Received
from fleet.updates.models import DeviceUpdate
from fleet.updates.releases import FINAL_STATES


class UpdateHandler:
    """One entry of ingest's handler table (fleet/ingest/batch.py)."""

    kinds: tuple[type[Message], ...] = (Event, CommandResult)

    def __init__(self, rollout_kick: asyncio.Event | None = None) -> None:
        self.rollout_kick = rollout_kick  # woken once the batch commits progress

    async def _kick(self) -> None:
        if self.rollout_kick is not None:
            self.rollout_kick.set()

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        for item in items:
            msg, at = item.message, item.received_at
            if isinstance(msg, CommandResult):
                if not msg.ok:
                    await DeviceUpdate.filter(
                        command_id=msg.id, device_id=msg.device_id, state__in=("queued", "sent")
                    ).update(state="error", reason=(msg.error or "refused")[:256], finished_at=at)
                else:
                    await DeviceUpdate.filter(
                        command_id=msg.id, device_id=msg.device_id, state="queued"
                    ).update(state="sent")
                continue
            if not isinstance(msg, Event) or msg.type != "ota":
                continue
            d = msg.data  # checked by the codec: release, version, state, pct?, reason?
            delivery = (
                await DeviceUpdate.filter(device_id=msg.device_id, release_id=d["release"])
                .order_by("-id")
                .first()
            )
            if delivery is None:
                continue
            if delivery.state in FINAL_STATES and d["state"] not in ("healthy", "rolled_back"):
                continue  # a late progress event after the outcome (or a redelivery)
            delivery.state = d["state"]
            delivery.pct = d.get("pct", 100 if d["state"] != "downloading" else delivery.pct)
            delivery.reason = d.get("reason", "")
            if d["state"] in FINAL_STATES:
                delivery.finished_at = at
            await delivery.save(update_fields=["state", "pct", "reason", "finished_at"])
            if delivery.rollout_id is not None and self._kick not in batch.after_commit:
                batch.after_commit.append(self._kick)
