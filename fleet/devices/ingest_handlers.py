"""How ingest stores what devices say about themselves: status (presence), telemetry, events
(with kiosk sessions relayed to the station's badges) and command results.

Each class is one entry of ingest's handler table (``fleet/ingest/batch.py``); each runs
inside the batch's transaction and leaves the device row's changes in the batch.
"""

from collections.abc import Sequence
from typing import Any

from crmsensor.protocol import (
    Channel,
    CommandResult,
    Event,
    Message,
    Status,
    Telemetry,
    encode_event_acks,
    event_ranges,
    topic,
)
from fleet.alerts.rules import backlog_trend
from fleet.devices import commands, kiosk_sessions
from fleet.devices.models import Command
from fleet.devices.models import Event as EventRow
from fleet.devices.models import Telemetry as TelemetryRow
from fleet.devices.presence import Presence
from fleet.ingest.batch import Batch, Received
from fleet.ingest.bulk import insert_many
from fleet.ingest.downlink import Downlink

_TELE_COLUMNS = ("device_id", "received_at", "boot", "seq", "ts", "data")
_EVENT_COLUMNS = ("device_id", "received_at", "boot", "seq", "ts", "type", "data")
_STATUS_COLUMNS = ("fw", "hw", "keepalive_s", "boot")


class PresenceHandler:
    """Every message: a live one proves its device online; ``status`` sets the state."""

    kinds: tuple[type[Message], ...] = ()

    def __init__(self, presence: Presence) -> None:
        self.presence = presence

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        for item in items:
            msg = item.message
            upd = batch.device(msg.device_id)
            if isinstance(msg, Status):
                self.presence.status(
                    msg.device_id, msg.state, msg.fields, item.received_at, item.retained, upd
                )
                for key in _STATUS_COLUMNS:
                    if key in msg.fields:
                        upd[key] = msg.fields[key]
            elif not item.retained:
                self.presence.seen(msg.device_id, item.received_at, upd)


class TelemetryHandler:
    """Telemetry rows as received; the latest report and the upload-backlog trend on the
    device row."""

    kinds: tuple[type[Message], ...] = (Telemetry,)

    def __init__(self) -> None:
        self._backlog: dict[str, dict[str, Any]] = {}  # upload-backlog trend per device

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        rows: list[tuple[Any, ...]] = []
        seen: set[tuple[str, int, int]] = set()
        for item in items:
            msg, at = item.message, item.received_at
            assert isinstance(msg, Telemetry)
            f = msg.fields
            if "boot" in f:  # a copy in this batch is left out here, one stored before by SQL
                key = (msg.device_id, f["boot"], f["seq"])
                if key in seen:
                    batch.ignore("duplicate_telemetry")
                    continue
                seen.add(key)
            rows.append((msg.device_id, at, f.get("boot"), f["seq"], f.get("ts"), f))
            upd = batch.device(msg.device_id)
            upd["last_tele"] = f
            if "fw" in f:
                upd["fw"] = f["fw"]
            if f.get("charging"):
                upd["last_charging_at"] = at
            if "backlog" in f:
                trend = backlog_trend(self._backlog.get(msg.device_id, {}), f["backlog"])
                self._backlog[msg.device_id] = upd["health"] = trend
        await insert_many(TelemetryRow, _TELE_COLUMNS, rows, once=True)


class EventHandler:
    """Event rows; a kiosk's session events stored once and relayed to its station's badges
    as recording commands, dispatched as soon as the batch commits. Once it has committed,
    each device is told which of its events the fleet now holds (the contract's event ack:
    the device keeps an event until one covers it)."""

    kinds: tuple[type[Message], ...] = (Event,)

    def __init__(self, downlink: Downlink) -> None:
        self.downlink = downlink

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        rows: list[tuple[Any, ...]] = []
        session_keys: set[tuple[str, int, str, str]] = set()
        seen: set[tuple[str, int, int]] = set()
        relays: list[Event] = []
        held: dict[str, set[tuple[int, int]]] = {}  # device -> (boot, seq) held once committed
        for item in items:
            msg, at = item.message, item.received_at
            assert isinstance(msg, Event)
            if msg.boot is not None:  # as telemetry
                held.setdefault(msg.device_id, set()).add((msg.boot, msg.seq))
                if (msg.device_id, msg.boot, msg.seq) in seen:
                    batch.ignore("duplicate_event")
                    continue
                seen.add((msg.device_id, msg.boot, msg.seq))
            if msg.type in kiosk_sessions.RELAY:
                key = (msg.device_id, msg.seq, msg.type, str(msg.data.get("session")))
                if key in session_keys or await kiosk_sessions.is_duplicate(msg):
                    batch.ignore("duplicate_event")
                    continue
                session_keys.add(key)
                relays.append(msg)
            rows.append((msg.device_id, at, msg.boot, msg.seq, msg.ts, msg.type, msg.data))
            if msg.type in ("worn", "unworn"):
                batch.device(msg.device_id)["worn_since"] = at if msg.type == "worn" else None
        await insert_many(EventRow, _EVENT_COLUMNS, rows, once=True)
        queued = 0
        for msg in relays:
            queued += await kiosk_sessions.relay(msg)
        if queued:
            batch.after_commit.append(self._dispatch)
        if held:
            batch.after_commit.append(lambda: self._ack(held))

    async def _dispatch(self) -> None:
        await commands.dispatch(self.downlink)

    async def _ack(self, held: dict[str, set[tuple[int, int]]]) -> None:
        """The event acks of one committed batch: one message per device (events stored now,
        and copies of ones stored before: the fleet holds both)."""
        for device_id, keys in held.items():
            for payload in encode_event_acks(event_ranges(keys)):
                await self.downlink.send(topic(device_id, Channel.ACK), payload)


class CommandResultHandler:
    """A device's answer closes its command."""

    kinds: tuple[type[Message], ...] = (CommandResult,)

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        for item in items:
            msg = item.message
            assert isinstance(msg, CommandResult)
            done = await Command.filter(id=msg.id, device_id=msg.device_id).update(
                state="done",
                ok=msg.ok,
                result=msg.result,
                error=msg.error,
                done_at=item.received_at,
            )
            if not done:
                batch.ignore("unknown_command")
