"""The entry of ingest's handler table that feeds live updates: after each batch commits, the
device rows it changed are published to the web office's viewers (``fleet/office/live.py``)."""

import time
from collections.abc import Sequence
from typing import Any

from crmsensor.protocol import Message
from fleet.devices.registry import stations_of
from fleet.ingest.batch import Batch, Received
from fleet.office.live import LiveHub

_FORGET_S = 60.0  # how long a device's station is trusted (devices move rarely)


class LiveHandler:
    """Sees every message; publishes the batch's device changes once it committed."""

    kinds: tuple[type[Message], ...] = ()

    def __init__(self, hub: LiveHub) -> None:
        self.hub = hub
        self._stations: dict[str, str | None] = {}
        self._loaded_at = time.monotonic()

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        async def publish() -> None:
            await self.publish(batch.device_updates)

        batch.after_commit.append(publish)

    async def publish(self, updates: dict[str, dict[str, Any]]) -> None:
        """Publish device row changes (``{device_id: {column: value}}``)."""
        if not updates:
            return
        if not self.hub.observed:
            self.hub.unobserved()  # nothing to send; a tab coming back reloads instead
            return
        if time.monotonic() - self._loaded_at > _FORGET_S:
            self._stations.clear()
            self._loaded_at = time.monotonic()
        missing = [d for d in updates if d not in self._stations]
        if missing:
            self._stations.update(await stations_of(missing))
        # The rows' changes as they are: orjson writes their datetimes as ISO 8601.
        self.hub.publish(
            "device", ((d, self._stations.get(d), upd) for d, upd in updates.items() if upd)
        )
