"""Live updates for the web office: what changed is published once per committed ingest batch
(and by the jobs that change device state: the silent sweep), and each browser tab's
Server-Sent Events stream gets the part it shows and may see.

Two kinds of stream, so the work grows with what people look at, not with the fleet:

- **A page of devices** (the device list, a device's page) names its devices. The hub keeps
  an index from device to the streams that show it; a change reaches only those, and a stream
  keeps the latest state of each of its devices until it writes (``device`` events), so a
  device reporting many times while a tab is busy costs one event, not many.
- **An overview** names no devices. It gets a ``changed`` event (how many devices in its scope
  changed) at most every :data:`SUMMARY_EVERY_S`, and reloads what it shows.

The hub keeps the last :data:`HISTORY` changes; a stream that reconnects with
``Last-Event-ID`` is sent what it missed, or a ``reset`` (reload the page's state) when that is
no longer kept. Nothing here can hold ingest up: publishing only updates dictionaries.
"""

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

HISTORY = 5000
Item = tuple[str, str | None, dict[str, Any]]  # (device_id, station_id, data)
Relay = Callable[[str, list[Item]], None]
SUMMARY_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed: a device's state (``kind`` "device")."""

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


@dataclass(eq=False)  # each stream is its own viewer, kept in sets
class Viewer:
    """One stream: the devices it shows (None: an overview) and the stations it may see (None:
    all). Changes wait in ``pending`` (the latest per device) until the stream writes them."""

    devices: frozenset[str] | None
    stations: frozenset[str] | None
    pending: dict[str, Change] = field(default_factory=dict)
    changed: int = 0  # an overview's count of changes in its scope since it last wrote
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    reset: bool = False  # the stream must tell its page to reload (the app is stopping)

    def may_see(self, station_id: str | None) -> bool:
        return self.stations is None or (station_id is not None and station_id in self.stations)

    def wants(self, c: Change) -> bool:
        """Does this stream show ``c`` (for replaying missed changes)?"""
        return self.may_see(c.station_id) and (self.devices is None or c.device_id in self.devices)

    def take(self) -> list[Change]:
        """The pending changes, oldest first, and none left."""
        out = sorted(self.pending.values(), key=lambda c: c.id)
        self.pending.clear()
        self.wake.clear()
        return out


class LiveHub:
    """Fan-out of changes to the viewers of this instance (app state ``fleet.state.LIVE``)."""

    def __init__(self) -> None:
        # set by fleet/office/live_relay.py when several instances share the database: what
        # this hub publishes goes to the others too
        self.relay: Relay | None = None
        self._next = 1
        self._history: deque[Change] = deque(maxlen=HISTORY)
        self._by_device: dict[str, set[Viewer]] = {}
        self._overviews: set[Viewer] = set()
        self._count = 0

    @property
    def viewers(self) -> int:
        """Streams open now."""
        return self._count

    @property
    def last_id(self) -> int:
        """The id of the newest change (0: none yet)."""
        return self._next - 1

    @property
    def observed(self) -> bool:
        """Does anyone watch: a stream here, or (relayed) on another instance?"""
        return self._count > 0 or self.relay is not None

    def publish(
        self,
        kind: str,
        items: Iterable[Item],
        relay: bool = True,
    ) -> None:
        """Publish ``(device_id, station_id, data)`` changes of one ``kind`` (and, unless
        they came from another instance, relay them)."""
        items = list(items)
        if relay and self.relay is not None:
            self.relay(kind, items)
        now = time.time()
        stations: dict[str | None, int] = {}
        for device_id, station_id, data in items:
            c = Change(self._next, kind, device_id, station_id, data, now)
            self._next += 1
            self._history.append(c)
            stations[station_id] = stations.get(station_id, 0) + 1
            for v in self._by_device.get(device_id, ()):
                if not v.may_see(station_id):
                    continue
                previous = v.pending.get(device_id)
                if previous is None:
                    v.pending[device_id] = c
                else:  # keep every field that changed since the stream wrote, newest wins
                    merged = {**previous.data, **data}
                    v.pending[device_id] = Change(c.id, kind, device_id, station_id, merged, now)
                v.wake.set()
        total = sum(stations.values())
        for v in self._overviews:
            if v.stations is None:
                n = total
            elif len(v.stations) < len(stations):
                n = sum(stations.get(s, 0) for s in v.stations)
            else:
                n = sum(k for s, k in stations.items() if s in v.stations)
            if n:
                v.changed += n
                v.wake.set()

    def unobserved(self) -> None:
        """Changes were stored while nobody watched, and are not kept: a stream resuming from
        before now must reload rather than believe it missed nothing."""
        self._next += 1
        self._history.clear()

    def subscribe(self, viewer: Viewer, last_id: int | None) -> list[Change] | None:
        """Add a viewer; the changes it missed since ``last_id`` (None: when that is older
        than the history kept, and the viewer must reset)."""
        if viewer.devices is None:
            self._overviews.add(viewer)
        else:
            for d in viewer.devices:
                self._by_device.setdefault(d, set()).add(viewer)
        self._count += 1
        if last_id is None:
            return []
        if last_id > self.last_id:
            return None  # an id from another instance or before a restart
        oldest = self._history[0].id if self._history else self._next
        if last_id + 1 < oldest:
            return None
        return [c for c in self._history if c.id > last_id and viewer.wants(c)]

    def unsubscribe(self, viewer: Viewer) -> None:
        """Remove a viewer."""
        if viewer.devices is None:
            self._overviews.discard(viewer)
        else:
            for d in viewer.devices:
                streams = self._by_device.get(d)
                if streams is not None:
                    streams.discard(viewer)
                    if not streams:
                        del self._by_device[d]
        self._count -= 1

    def close(self) -> None:
        """The app is stopping: tell every stream to end (its tab reconnects elsewhere)."""
        for v in {*self._overviews, *(v for s in self._by_device.values() for v in s)}:
            v.reset = True
            v.wake.set()
