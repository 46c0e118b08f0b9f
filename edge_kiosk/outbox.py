"""Store-and-forward of the kiosk's events: on disk until the fleet holds them.

Every event is a file in ``queue_dir`` named by its sequence number (``000000000042.json``),
written to a temporary name, fsynced and renamed, so after a power cut an event is either
whole or absent. The sequence number persists across restarts (it is the event's ``seq``), so
the fleet can tell a re-sent event from a new one.

:meth:`Outbox.pump` publishes the oldest unsent event with QoS 1; once the broker has it
(PUBACK) the next goes, so events arrive in order. The file stays until the fleet's event ack
(docs/protocol.md, "acks": sent after the row is committed) names its seq, handed in through
:meth:`Outbox.acked`: the broker's PUBACK alone does not mean the fleet has it. An event the
fleet has not acknowledged is sent again, same seq, after ``RESEND_S`` (then a doubling wait up
to ``RESEND_MAX_S``), or ``GAP_GRACE_S`` after the fleet acked a later one (a gap). At most
``AWAIT_MAX`` events wait for the fleet at a time; the rest wait on disk, in order.

Bounded: past ``limit`` events the oldest are dropped, counted in ``dropped`` and logged (a
kiosk cut off for weeks keeps its newest events rather than filling its disk).
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from crmsensor.durable import write_atomically

log = logging.getLogger("edge_kiosk.outbox")

_SUFFIX = ".json"
RESEND_S = 30.0  # an event the fleet has not acknowledged this long is sent again
RESEND_MAX_S = 600.0  # the wait doubles per try up to this
GAP_GRACE_S = 2.0  # the fleet acked a later event: this one is due this long after it was sent
AWAIT_MAX = 50  # events sent and waiting for the fleet's ack at a time
BROKER_WAIT_S = 10.0  # a publish the broker has not acknowledged this long is sent again


class Delivery(Protocol):
    """What a QoS 1 publish returns (paho's ``MQTTMessageInfo``)."""

    def is_published(self) -> bool: ...


Publish = Callable[[bytes], Delivery | None]
"""Publish one event payload with QoS 1; None when not connected."""


@dataclass
class _Waiting:
    """An event the broker has, waiting for the fleet's ack."""

    path: Path
    sent_at: float  # time.monotonic() of the last send
    due: float  # when to send it again
    wait_s: float  # the next wait after that
    gap_checked: bool = False  # a gap moves its due time once


class Outbox:
    """Events waiting for the fleet, oldest first, on disk."""

    def __init__(
        self, folder: Path, limit: int = 10000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.folder = folder
        self.limit = limit
        self._clock = clock
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.tmp"):  # cut short by a power loss: never stored
            stale.unlink()
        self._files = sorted(folder.glob("*" + _SUFFIX))
        self._next = int(self._files[-1].stem) + 1 if self._files else self._stored_next()
        self._in_flight: tuple[Path, Delivery, float] | None = None
        self._waiting: dict[int, _Waiting] = {}  # seq -> sent, not acknowledged by the fleet
        self.dropped = 0
        self.sent = 0  # acknowledged by the fleet
        self.resent = 0

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
            self._waiting.pop(int(oldest.stem), None)
            oldest.unlink(missing_ok=True)
            self.dropped += 1
            log.warning("event queue full (%d): dropped %s", self.limit, oldest.name)
        return seq

    def acked(self, seqs: Iterable[tuple[int, int]]) -> int:
        """The fleet holds these ``(first, last)`` seq ranges (its event ack; the kiosk's seqs
        never repeat, so the boot is not needed): delete their files; return how many. The
        ack can come before the broker's PUBACK was seen: the event in flight counts too."""
        ranges = list(seqs)
        top = max((last for _, last in ranges), default=-1)
        # what was sent is a prefix of the queue: the waiting events and the one in flight
        sent = self._files[: len(self._waiting) + 1]
        done = 0
        for path in sent:
            seq = int(path.stem)
            if not any(first <= seq <= last for first, last in ranges):
                continue
            self._waiting.pop(seq, None)
            if self._in_flight is not None and self._in_flight[0] == path:
                self._in_flight = None
            path.unlink(missing_ok=True)
            self._files.remove(path)
            done += 1
        for seq, w in self._waiting.items():
            if seq < top and not w.gap_checked:  # a gap: the fleet has what came after it
                w.gap_checked = True
                w.due = min(w.due, w.sent_at + GAP_GRACE_S)
        self.sent += done
        return done

    def pump(self, publish: Publish, connected: bool) -> int:
        """Move the queue on: note what the broker took, resend what the fleet has not
        acknowledged in time, send the next event; return how many the broker took now.
        Call it often (every frame)."""
        if not connected:
            self._in_flight = None  # not taken by the broker: sent again when the link is back
            return 0
        done = 0
        now = self._clock()
        for w in [w for w in self._waiting.values() if w.due <= now]:  # at most AWAIT_MAX
            if not self._send_again(publish, w, now):
                return done
        while True:
            if self._in_flight is not None:
                path, delivery, since = self._in_flight
                if not delivery.is_published():
                    if now - since < BROKER_WAIT_S:
                        return done
                    self._in_flight = None  # no PUBACK for long: send it again
                    continue
                self._in_flight = None
                if path.exists():
                    seq = int(path.stem)
                    w = _Waiting(path, since, since + RESEND_S, RESEND_S * 2)
                    self._waiting[seq] = w
                    done += 1
            if len(self._waiting) >= AWAIT_MAX:
                return done
            head = next((f for f in self._files if int(f.stem) not in self._waiting), None)
            if head is None:
                return done
            try:
                payload = head.read_bytes()
            except OSError as exc:
                log.error("event %s unreadable, dropped: %s", head.name, exc)
                self._files.remove(head)
                self.dropped += 1
                continue
            sent = publish(payload)
            if sent is None:
                return done
            self._in_flight = (head, sent, now)

    def _send_again(self, publish: Publish, w: _Waiting, now: float) -> bool:
        try:
            payload = w.path.read_bytes()
        except OSError:  # gone: nothing to send
            self._waiting.pop(int(w.path.stem), None)
            return True
        if publish(payload) is None:
            return False
        w.sent_at, w.due = now, now + w.wait_s
        w.wait_s = min(RESEND_MAX_S, w.wait_s * 2)
        self.resent += 1
        return True
