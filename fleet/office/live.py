"""Live updates for the web office: what changed is published once per committed ingest batch
(and by the jobs that change device state: the silent sweep, health), and each browser tab's
Server-Sent Events stream gets the part it shows and may see.

The hub keeps the last :data:`HISTORY` events; a stream that reconnects with ``Last-Event-ID``
is sent what it missed, or a ``reset`` event (reload the page's state) when that has been
dropped. Slow viewers never hold ingest up: each has a bounded queue and is told to reset when
it overflows.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

log = logging.getLogger("fleet.live")

HISTORY = 5000
QUEUE = 1000


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed: a device's state (``kind`` "device") or an alert."""

    id: int
    kind: str
    device_id: str
    station_id: str | None
    data: dict[str, Any]
    at: float  # when it was published (epoch seconds): right after its batch committed

    def sse(self) -> bytes:
        """The Server-Sent Events frame."""
        body = orjson.dumps(
            {"device": self.device_id, "station": self.station_id, "t": self.at, **self.data}
        )
        return b"id: %d\nevent: %s\ndata: %s\n\n" % (self.id, self.kind.encode(), body)


@dataclass(eq=False)  # each stream is its own viewer, kept in a set
class Viewer:
    """One stream: what it wants (device ids, or None for every device it may see) and what it
    may see (station ids, or None for everything)."""

    devices: frozenset[str] | None
    stations: frozenset[str] | None
    queue: asyncio.Queue[Change | None] = field(default_factory=lambda: asyncio.Queue(QUEUE))
    overflowed: bool = False

    def wants(self, c: Change) -> bool:
        if self.stations is not None and c.station_id not in self.stations:
            return False
        return self.devices is None or c.device_id in self.devices


class LiveHub:
    """Fan-out of changes to the viewers of this instance (app state ``fleet.state.LIVE``)."""

    def __init__(self) -> None:
        self._next = 1
        self._history: deque[Change] = deque(maxlen=HISTORY)
        self._viewers: set[Viewer] = set()

    @property
    def viewers(self) -> int:
        """Streams open now."""
        return len(self._viewers)

    @property
    def last_id(self) -> int:
        """The id of the newest change (0: none yet)."""
        return self._next - 1

    def publish(self, kind: str, items: Iterable[tuple[str, str | None, dict[str, Any]]]) -> None:
        """Publish ``(device_id, station_id, data)`` changes of one ``kind``."""
        now = time.time()
        for device_id, station_id, data in items:
            c = Change(self._next, kind, device_id, station_id, data, now)
            self._next += 1
            self._history.append(c)
            for v in self._viewers:
                if v.overflowed or not v.wants(c):
                    continue
                try:
                    v.queue.put_nowait(c)
                except asyncio.QueueFull:
                    v.overflowed = True  # it is told to reset and reload
                    v.queue.get_nowait()
                    v.queue.put_nowait(None)

    def subscribe(self, viewer: Viewer, last_id: int | None) -> list[Change] | None:
        """Add a viewer; the changes it missed since ``last_id`` (None: when that is older
        than the history kept, and the viewer must reset)."""
        self._viewers.add(viewer)
        if last_id is None:
            return []
        if last_id > self.last_id:
            return None  # an id from another instance or before a restart
        missed = [c for c in self._history if c.id > last_id and viewer.wants(c)]
        oldest = self._history[0].id if self._history else self._next
        if last_id + 1 < oldest:
            return None
        return missed

    def close(self) -> None:
        """The app is stopping: tell every stream to end (its tab reconnects elsewhere)."""
        for v in list(self._viewers):
            v.overflowed = True
            with contextlib.suppress(asyncio.QueueFull):
                v.queue.put_nowait(None)

    def unsubscribe(self, viewer: Viewer) -> None:
        """Remove a viewer."""
        self._viewers.discard(viewer)
