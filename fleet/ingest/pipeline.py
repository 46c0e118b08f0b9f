"""Ingest: every MQTT message from devices goes through here.

:meth:`Ingest.submit` parses and validates a message (pure checks from
:mod:`crmsensor.protocol`), rejects what breaks the contract (counted per reason, logged
once per topic and reason a minute, never stored) and queues the rest. :meth:`Ingest.run_writer`
drains the queue in batches, one transaction each, and stores each batch through the
table of handlers by message type it was built with (``fleet/ingest/batch.py``; the table is
assembled in ``fleet/app.py``). The queue is bounded: when the database falls
behind, ``submit`` waits, which stops the MQTT loop reading, which lets the broker hold the
backlog (back-pressure instead of unbounded memory).

A message is acknowledged to the broker (MQTT PUBACK, through ``Received.ack``) only after the
transaction holding it has committed, and a recording chunk is acknowledged to the device (the
contract's ``ack``) only then too: a fleet crash loses nothing the broker or device was told
was safe.
"""

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from crmsensor.errors import ProtocolError
from crmsensor.protocol import Channel, Message, decode, parse_topic
from fleet.devices.models import Device
from fleet.ingest.batch import Batch, MessageHandler, Received, no_ack
from fleet.ingest.bulk import update_many
from fleet.ingest.rate_limit import RateLimit
from fleet.transaction import transaction

log = logging.getLogger("fleet.ingest")

_LOG_EVERY_S = 60.0
_UNKNOWN_RECHECK_S = 10.0
_RETRY_MAX_S = 30.0
# At shutdown the writer stores what is queued for this long at most: with the database gone,
# what is left stays unacknowledged and the broker delivers it again (to us or another instance)
SHUTDOWN_FLUSH_S = 10.0
_LOG_BUDGET = 100


@dataclass
class IngestStats:
    """Counters of what ingest did, exposed at ``/api/v1/ingest``."""

    accepted: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    # messages the contract keeps that came faster than a device's budget: stored all the same
    over_rate: Counter[str] = field(default_factory=Counter)
    written: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "accepted": dict(self.accepted),
            "rejected": dict(self.rejected),
            "ignored": dict(self.ignored),
            "over_rate": dict(self.over_rate),
            "written": self.written,
            "batches": self.batches,
        }


class Ingest:
    """Validate, queue and store device messages; publish recording acks."""

    def __init__(
        self,
        handlers: Sequence[MessageHandler],
        queue_size: int = 10_000,
        batch_size: int = 2000,
        batch_bytes: int = 1 << 20,
        flush_s: float = 0.05,
        tele_limit: RateLimit | None = None,
        other_limit: RateLimit | None = None,
    ):
        self.queue: asyncio.Queue[Received] = asyncio.Queue(queue_size)
        self.stats = IngestStats()
        self._every = [h for h in handlers if not h.kinds]
        self._by_kind: dict[type[Message], list[MessageHandler]] = {}
        self._handlers = [h for h in handlers if h.kinds]
        for h in self._handlers:
            for kind in h.kinds:
                self._by_kind.setdefault(kind, []).append(h)
        self._batch_size = batch_size
        # Recording chunks are 8 KiB: a byte budget keeps their batches short, so acks reach
        # uploading devices often and a batch's memory stays small.
        self._batch_bytes = batch_bytes
        self._flush_s = flush_s
        # per device (fleet/ingest/rate_limit.py): telemetry past its budget is refused, the
        # rest is stored and counted
        self._tele_limit = tele_limit or RateLimit(0, 1)
        self._other_limit = other_limit or RateLimit(0, 1)
        self._known: set[str] = set()
        self._unknown_checked: dict[str, float] = {}
        self._logged: dict[tuple[str, str], float] = {}
        self._budget_start, self._budget_used, self._suppressed = -_LOG_EVERY_S, 0, 0
        self._room = asyncio.Event()  # set whenever the writer takes messages off the queue
        self._writing = False

    async def load_registry(self) -> None:
        """Cache the ids of registered devices."""
        live = Device.filter(decommissioned_at=None)
        self._known = {str(i) for i in await live.values_list("id", flat=True)}

    def reject(self, topic: str, reason: str, detail: str) -> None:
        """Count a rejected message and log it with its topic and reason, at most once a
        minute per device and reason, and at most ``_LOG_BUDGET`` lines a minute in all (a
        flood of random topics must not become a flood of log lines)."""
        self.stats.rejected[reason] += 1
        now = time.monotonic()
        parts = topic.split("/", 3)
        key = (parts[2][:40] if len(parts) > 2 else "", reason)
        if now - self._logged.get(key, -_LOG_EVERY_S) < _LOG_EVERY_S:
            return
        if now - self._budget_start >= _LOG_EVERY_S:
            if self._suppressed:
                log.warning("%d more rejected messages were not logged", self._suppressed)
            self._budget_start, self._budget_used, self._suppressed = now, 0, 0
            if len(self._logged) > 10_000:
                self._logged.clear()
        if self._budget_used >= _LOG_BUDGET:
            self._suppressed += 1
            return
        self._budget_used += 1
        self._logged[key] = now
        log.warning("rejected message on %r: %s (%s)", topic[:200], reason, detail[:300])

    def ignore(self, what: str) -> None:
        """Count a valid message that needs no storing (a duplicate, our own downlink)."""
        self.stats.ignored[what] += 1

    def _known_state(self, device_id: str) -> bool | None:
        """True for a registered device, False for one looked up recently and not found,
        None when the writer must look it up (registered since we loaded, maybe by another
        instance)."""
        if device_id in self._known:
            return True
        checked = self._unknown_checked.get(device_id)
        if checked is not None and time.monotonic() - checked < _UNKNOWN_RECHECK_S:
            return False
        return None

    def forget_device(self, device_id: str) -> None:
        """A device was deleted from the registry."""
        self._known.discard(device_id)

    def check(
        self,
        topic: str,
        payload: bytes,
        retained: bool = False,
        ack: Callable[[], object] = no_ack,
    ) -> Received | None:
        """Parse and validate one message (pure, no IO); None when it was rejected or ignored,
        in which case ``ack`` has been called (there is nothing to keep)."""
        try:
            parsed = parse_topic(topic)
        except ProtocolError as exc:
            self.reject(topic, exc.reason, exc.detail)
            ack()
            return None
        if not parsed.channel.uplink:
            self.ignore("downlink")  # our own acks and commands, echoed back by the broker
            ack()
            return None
        known = self._known_state(parsed.device_id)
        if known is False:
            self.reject(topic, "unknown_device", f"{parsed.device_id} is not registered")
            ack()
            return None
        if parsed.channel is Channel.TELE and not self._tele_limit.allow(
            parsed.device_id, time.monotonic()
        ):  # refused before decoding: a flood costs little
            self.reject(topic, "rate_limited", "telemetry faster than the device's budget")
            ack()
            return None
        try:
            message = decode(parsed, payload)
        except ProtocolError as exc:
            self.reject(topic, exc.reason, exc.detail)
            ack()
            return None
        if parsed.channel is not Channel.TELE and not self._other_limit.allow(
            parsed.device_id, time.monotonic()
        ):
            self.stats.over_rate[parsed.channel.value] += 1
        self.stats.accepted[parsed.channel.value] += 1
        return Received(
            message, datetime.now(UTC), topic, retained, ack, known is None, len(payload)
        )

    def offer(
        self,
        topic: str,
        payload: bytes,
        retained: bool = False,
        ack: Callable[[], object] = no_ack,
    ) -> bool:
        """:meth:`check` one message and queue it without waiting; the caller makes sure
        there is room (``queue.full()`` is false), as the MQTT link does before each read."""
        item = self.check(topic, payload, retained, ack)
        if item is None:
            return False
        self.queue.put_nowait(item)
        return True

    async def submit(
        self,
        topic: str,
        payload: bytes,
        retained: bool = False,
        ack: Callable[[], object] = no_ack,
    ) -> bool:
        """:meth:`check` one message and queue it, waiting for room; False when it was
        rejected or ignored.

        ``ack`` is called once the message is handled: at once for a rejected one, after its
        batch committed for a stored one.
        """
        item = self.check(topic, payload, retained, ack)
        if item is None:
            return False
        await self.queue.put(item)
        return True

    async def wait_for_room(self) -> None:
        """Return once the queue can take a message."""
        while self.queue.full():
            self._room.clear()
            await self._room.wait()

    async def settle(self) -> None:
        """Return once everything queued so far is stored (or set aside) and acknowledged."""
        while not self.queue.empty() or self._writing:
            self._room.clear()
            await self._room.wait()

    async def run_writer(self) -> None:
        """Store queued messages in batches until cancelled; a cancel flushes what is queued."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                batch = [await self.queue.get()]
                deadline = loop.time() + self._flush_s
                nbytes = batch[0].size
                while len(batch) < self._batch_size and nbytes < self._batch_bytes:
                    if self.queue.empty():
                        timeout = deadline - loop.time()
                        if timeout <= 0:
                            break
                        try:
                            item = await asyncio.wait_for(self.queue.get(), timeout)
                        except TimeoutError:
                            break
                    else:
                        item = self.queue.get_nowait()
                    batch.append(item)
                    nbytes += item.size
                self._writing = True
                self._room.set()
                try:
                    await self._write_safely(batch)
                finally:
                    self._writing = False
                    self._room.set()
        except asyncio.CancelledError:
            await self.flush(time.monotonic() + SHUTDOWN_FLUSH_S)
            raise

    async def flush(self, give_up_at: float | None = None) -> None:
        """Write everything still queued; with ``give_up_at`` (a ``time.monotonic()``), leave
        what cannot be stored by then unacknowledged (the broker keeps it)."""
        while not self.queue.empty():
            n = min(self.queue.qsize(), self._batch_size)
            batch = [self.queue.get_nowait() for _ in range(n)]
            if not await self._write_safely(batch, give_up_at):
                left = len(batch) + self.queue.qsize()
                log.error(
                    "database unavailable at shutdown: up to %d messages left unacknowledged, "
                    "for the broker to deliver again",
                    left,
                )
                return

    async def _write_safely(self, batch: list[Received], give_up_at: float | None = None) -> bool:
        """Write a batch; retry while the database is unavailable (nothing is acked meanwhile,
        so the broker keeps the backlog), until ``give_up_at`` when given (then False); set
        aside single messages the database refuses."""
        delay = 0.5
        while True:
            try:
                batch = await self._verify(batch)
                if batch:
                    await self.write(batch)
                return True
            except IntegrityError:
                break
            except Exception:
                log.exception("could not store a batch of %d messages; retrying", len(batch))
                if give_up_at is not None and time.monotonic() + delay > give_up_at:
                    return False
                await asyncio.sleep(delay)
                delay = min(_RETRY_MAX_S, delay * 2)
        # One message breaks a constraint (e.g. its device was deleted meanwhile): write the
        # batch one message at a time and drop only those that cannot be stored. The database
        # can go away meanwhile too: that is retried as above, never a reason to drop.
        for item in batch:
            delay = 0.5
            while True:
                try:
                    await self.write([item])
                    break
                except IntegrityError as exc:
                    self.reject(item.topic, "db_refused", str(exc))
                    item.ack()
                    break
                except Exception:
                    log.exception("could not store a message on %r; retrying", item.topic[:200])
                    if give_up_at is not None and time.monotonic() + delay > give_up_at:
                        return False
                    await asyncio.sleep(delay)
                    delay = min(_RETRY_MAX_S, delay * 2)
        return True

    async def _verify(self, batch: list[Received]) -> list[Received]:
        """Look up devices missing from the registry cache (one query a batch); reject the
        messages of those that are not registered."""
        missing = {
            item.message.device_id
            for item in batch
            if item.verify and item.message.device_id not in self._known
        }
        if not missing:
            return batch
        found = await Device.filter(id__in=missing, decommissioned_at=None).values_list(
            "id", flat=True
        )
        self._known.update(str(i) for i in found)
        now = time.monotonic()
        kept = []
        for item in batch:
            device_id = item.message.device_id
            if device_id in self._known:
                kept.append(item)
            else:
                self._unknown_checked[device_id] = now
                self.reject(item.topic, "unknown_device", f"{device_id} is not registered")
                item.ack()
        if len(self._unknown_checked) > 10_000:
            self._unknown_checked = {
                d: t for d, t in self._unknown_checked.items() if now - t < _UNKNOWN_RECHECK_S
            }
        return kept

    async def write(self, items: list[Received]) -> None:
        """Store one batch in one transaction through the handlers, then run what they left
        for after the commit (acks to devices, commands) and acknowledge to the broker."""
        groups: dict[type[Message], list[Received]] = {}
        for item in items:
            groups.setdefault(type(item.message), []).append(item)
        batch = Batch(self.reject, self.ignore)
        try:
            async with transaction():
                for handler in self._every:
                    await handler.store(items, batch)
                for handler in self._handlers:
                    if len(handler.kinds) == 1:
                        mine = groups.get(handler.kinds[0], [])
                    else:  # keep arrival order across the handler's kinds
                        mine = [i for i in items if type(i.message) in handler.kinds]
                    if mine:
                        await handler.store(mine, batch)
                await _update_devices(batch.device_updates)
        except BaseException:
            for forget in batch.after_rollback:
                forget()
            raise
        for job in batch.after_commit:
            await job()
        for item in items:
            item.ack()
        self.stats.written += len(items)
        self.stats.batches += 1


async def _update_devices(updates: dict[str, dict[str, Any]]) -> None:
    """One UPDATE statement per set of changed columns (usually one for the whole batch)."""
    by_columns: dict[tuple[str, ...], list[tuple[str, list[Any]]]] = {}
    for device_id, upd in updates.items():
        if upd:
            columns = tuple(sorted(upd))
            by_columns.setdefault(columns, []).append((device_id, [upd[c] for c in columns]))
    for columns, rows in by_columns.items():
        await update_many(Device, columns, rows)
