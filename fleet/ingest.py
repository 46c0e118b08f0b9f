"""Ingest: every MQTT message from devices goes through here.

:meth:`Ingest.submit` parses and validates a message (pure checks from
:mod:`crmsensor.protocol`), rejects what breaks the contract (counted per reason, logged
once per topic and reason a minute, never stored) and queues the rest. :meth:`Ingest.run_writer`
drains the queue in batches into the database. The queue is bounded: when the database falls
behind, ``submit`` waits, which stops the MQTT loop reading, which lets the broker hold the
backlog (back-pressure instead of unbounded memory).
"""

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from crmsensor.errors import ProtocolError
from crmsensor.protocol import (
    ChunkMessage,
    CommandResult,
    Event,
    Manifest,
    Message,
    Status,
    Telemetry,
    decode,
    parse_topic,
)
from fleet import models

log = logging.getLogger("fleet.ingest")

_LOG_EVERY_S = 60.0
_UNKNOWN_RECHECK_S = 10.0


@dataclass
class IngestStats:
    """Counters of what ingest did, exposed at ``/api/v1/ingest``."""

    accepted: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    written: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "accepted": dict(self.accepted),
            "rejected": dict(self.rejected),
            "ignored": dict(self.ignored),
            "written": self.written,
            "batches": self.batches,
        }


@dataclass(frozen=True)
class Received:
    """A valid message and when the fleet got it."""

    message: Message
    received_at: datetime


class Ingest:
    """Validate, queue and store device messages."""

    def __init__(self, queue_size: int = 10_000, batch_size: int = 500, flush_s: float = 0.2):
        self.queue: asyncio.Queue[Received] = asyncio.Queue(queue_size)
        self.stats = IngestStats()
        self._batch_size = batch_size
        self._flush_s = flush_s
        self._known: set[str] = set()
        self._unknown_checked: dict[str, float] = {}
        self._logged: dict[tuple[str, str], float] = {}

    async def load_registry(self) -> None:
        """Cache the ids of registered devices."""
        self._known = {str(i) for i in await models.Device.all().values_list("id", flat=True)}

    def reject(self, topic: str, reason: str, detail: str) -> None:
        """Count a rejected message; log it unless the same topic and reason was just logged."""
        self.stats.rejected[reason] += 1
        now = time.monotonic()
        key = (topic, reason)
        if now - self._logged.get(key, -_LOG_EVERY_S) >= _LOG_EVERY_S:
            self._logged[key] = now
            log.warning("rejected message on %s: %s (%s)", topic, reason, detail)

    async def _is_known(self, device_id: str) -> bool:
        if device_id in self._known:
            return True
        # Registered since we loaded? Look once, then not again for a while (floods of an
        # unknown id must not become a flood of queries).
        now = time.monotonic()
        if now - self._unknown_checked.get(device_id, -_UNKNOWN_RECHECK_S) < _UNKNOWN_RECHECK_S:
            return False
        self._unknown_checked[device_id] = now
        if await models.Device.exists(id=device_id):
            self._known.add(device_id)
            return True
        return False

    async def submit(self, topic: str, payload: bytes) -> bool:
        """Check one message and queue it for storage; False when it was rejected or ignored."""
        try:
            parsed = parse_topic(topic)
        except ProtocolError as exc:
            self.reject(topic, exc.reason, exc.detail)
            return False
        if not parsed.channel.uplink:
            # Our own downlink (acks, commands) echoed back by the broker.
            self.stats.ignored["downlink"] += 1
            return False
        if not await self._is_known(parsed.device_id):
            self.reject(topic, "unknown_device", f"{parsed.device_id} is not registered")
            return False
        try:
            message = decode(parsed, payload)
        except ProtocolError as exc:
            self.reject(topic, exc.reason, exc.detail)
            return False
        if isinstance(message, ChunkMessage | Manifest):
            # Recording assembly (resumable, acked when durable) is the fleet-core issue's;
            # until then valid recording messages are counted, not stored, and never acked.
            self.stats.ignored[parsed.channel.value] += 1
            return False
        self.stats.accepted[parsed.channel.value] += 1
        await self.queue.put(Received(message, datetime.now(UTC)))
        return True

    async def run_writer(self) -> None:
        """Store queued messages in batches until cancelled; a cancel flushes what is queued."""
        try:
            while True:
                batch = [await self.queue.get()]
                deadline = asyncio.get_running_loop().time() + self._flush_s
                while len(batch) < self._batch_size:
                    timeout = deadline - asyncio.get_running_loop().time()
                    if timeout <= 0:
                        break
                    try:
                        batch.append(await asyncio.wait_for(self.queue.get(), timeout))
                    except TimeoutError:
                        break
                await self._write_safely(batch)
        except asyncio.CancelledError:
            await self.flush()
            raise

    async def flush(self) -> None:
        """Write everything still queued."""
        while not self.queue.empty():
            batch = [self.queue.get_nowait() for _ in range(min(self.queue.qsize(), 500))]
            await self._write_safely(batch)

    async def _write_safely(self, batch: list[Received]) -> None:
        try:
            await write_batch(batch)
        except Exception:
            # A database outage must not kill ingest; the batch is logged with its size so the
            # loss is visible. (Durable acks for telemetry are the fleet-core issue's.)
            log.exception("could not store a batch of %d messages", len(batch))
            self.stats.rejected["db_error"] += len(batch)
            return
        self.stats.written += len(batch)
        self.stats.batches += 1


def _device_updates(batch: list[Received]) -> dict[str, dict[str, Any]]:
    """Fold a batch into one update per device, applying messages in arrival order."""
    updates: dict[str, dict[str, Any]] = {}
    for item in batch:
        msg = item.message
        upd = updates.setdefault(msg.device_id, {})
        upd["last_seen"] = item.received_at
        if isinstance(msg, Status):
            upd["online"] = msg.state == "online"
            upd["status_at"] = item.received_at
            upd["status_reason"] = str(msg.fields.get("reason", ""))
            for key in ("fw", "hw", "keepalive_s", "boot"):
                if key in msg.fields:
                    upd[key] = msg.fields[key]
        elif isinstance(msg, Telemetry):
            upd["last_tele"] = msg.fields
            if "fw" in msg.fields:
                upd["fw"] = msg.fields["fw"]
    return updates


async def write_batch(batch: list[Received]) -> None:
    """Store one batch in a single transaction."""
    tele, events, results = [], [], []
    for item in batch:
        msg, at = item.message, item.received_at
        if isinstance(msg, Telemetry):
            tele.append(
                models.Telemetry(
                    device_id=msg.device_id,
                    received_at=at,
                    seq=msg.fields["seq"],
                    ts=msg.fields.get("ts"),
                    data=msg.fields,
                )
            )
        elif isinstance(msg, Event):
            events.append(
                models.Event(
                    device_id=msg.device_id,
                    received_at=at,
                    seq=msg.seq,
                    ts=msg.ts,
                    type=msg.type,
                    data=msg.data,
                )
            )
        elif isinstance(msg, CommandResult):
            results.append(
                models.CommandResult(
                    device_id=msg.device_id,
                    received_at=at,
                    command_id=msg.id,
                    ok=msg.ok,
                    result=msg.result,
                    error=msg.error,
                )
            )
    async with in_transaction():
        if tele:
            await models.Telemetry.bulk_create(tele)
        if events:
            await models.Event.bulk_create(events)
        if results:
            await models.CommandResult.bulk_create(results)
        for device_id, upd in _device_updates(batch).items():
            await models.Device.filter(id=device_id).update(**upd)
