"""Store-and-forward of the kiosk's events: on disk until the broker has them.

Every event is a file in ``queue_dir`` named by its sequence number (``000000000042.json``),
written to a temporary name, fsynced and renamed, so after a power cut an event is either
whole or absent. The sequence number persists across restarts (it is the event's ``seq``), so
the fleet can tell a re-sent event from a new one. :meth:`Outbox.pump` publishes the oldest
event with QoS 1 and deletes its file only when the broker has acknowledged it (PUBACK); one
event is in flight at a time, so they arrive in order. A link lost with an event in flight
sends that event again (QoS 1: at least once; the fleet drops the duplicate by its session).

Bounded: past ``limit`` events the oldest are dropped, counted in ``dropped`` and logged (a
kiosk cut off for weeks keeps its newest events rather than filling its disk).
"""

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from crmsensor.durable import write_atomically

log = logging.getLogger("edge_kiosk.outbox")

_SUFFIX = ".json"
RESEND_S = 10.0  # an event unacknowledged this long on a live link is sent again


class Delivery(Protocol):
    """What a QoS 1 publish returns (paho's ``MQTTMessageInfo``)."""

    def is_published(self) -> bool: ...


Publish = Callable[[bytes], Delivery | None]
"""Publish one event payload with QoS 1; None when not connected."""


class Outbox:
    """Events waiting for the broker, oldest first, on disk."""

    def __init__(self, folder: Path, limit: int = 10000) -> None:
        self.folder = folder
        self.limit = limit
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.tmp"):  # cut short by a power loss: never stored
            stale.unlink()
        self._files = sorted(folder.glob("*" + _SUFFIX))
        self._next = int(self._files[-1].stem) + 1 if self._files else self._stored_next()
        self._in_flight: tuple[Path, Delivery, float] | None = None
        self.dropped = 0
        self.sent = 0

    def _stored_next(self) -> int:
        try:
            return int((self.folder / "next_seq").read_text())
        except (OSError, ValueError):
            return 0

    def __len__(self) -> int:
        return len(self._files)

    def put(self, make: Callable[[int], bytes]) -> int:
        """Store the event payload ``make(seq)`` under the next sequence number; return it."""
        seq = self._next
        path = self.folder / f"{seq:012d}{_SUFFIX}"
        write_atomically(path, make(seq))
        self._next = seq + 1
        # the numbering survives an emptied queue
        write_atomically(self.folder / "next_seq", str(self._next).encode())
        self._files.append(path)
        while len(self._files) > self.limit:
            oldest = self._files.pop(0)
            if self._in_flight and self._in_flight[0] == oldest:
                self._in_flight = None
            oldest.unlink(missing_ok=True)
            self.dropped += 1
            log.warning("event queue full (%d): dropped %s", self.limit, oldest.name)
        return seq

    def pump(self, publish: Publish, connected: bool) -> int:
        """Move the queue on: finish an acknowledged event, send the next; return how many
        were acknowledged. Call it often (every frame)."""
        done = 0
        while True:
            if self._in_flight is not None:
                path, delivery, since = self._in_flight
                if not delivery.is_published():
                    if connected and time.monotonic() - since < RESEND_S:
                        return done
                    self._in_flight = None  # the link dropped: send it again when it returns
                    if not connected:
                        return done
                    continue
                path.unlink(missing_ok=True)
                if self._files and self._files[0] == path:
                    self._files.pop(0)
                self._in_flight = None
                self.sent += 1
                done += 1
            if not connected or not self._files:
                return done
            head = self._files[0]
            try:
                payload = head.read_bytes()
            except OSError as exc:
                log.error("event %s unreadable, dropped: %s", head.name, exc)
                self._files.pop(0)
                self.dropped += 1
                continue
            sent = publish(payload)
            if sent is None:
                return done
            self._in_flight = (head, sent, time.monotonic())
