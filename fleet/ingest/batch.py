"""What a message handler gets while ingest stores one batch, and what it must provide.

Ingest groups a batch's messages by type and hands each group to the handler registered for it
(the table is assembled in ``fleet/app.py``), all inside one transaction. Handlers belong to
their capability (devices, recordings, ...); they record what the device rows should change to
in :attr:`Batch.device_updates` (written once per batch, after every handler ran) and queue
work that may only happen once the transaction has committed (acks, command dispatch).
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from crmsensor.protocol import Message

Reject = Callable[[str, str, str], None]
"""``reject(topic, reason, detail)``: count and log a rejected message."""
Ignore = Callable[[str], None]
"""``ignore(what)``: count a valid message that needed no storing."""


def no_ack() -> None:
    """The acknowledgement of a message that needs none (tests, our own submissions)."""


@dataclass(slots=True)
class Received:
    """A valid message, when the fleet got it, and how to acknowledge it to the broker.
    ``verify``: its device was not in the registry cache; the writer looks it up."""

    message: Message
    received_at: datetime
    topic: str = ""
    retained: bool = False
    ack: Callable[[], object] = no_ack
    verify: bool = False
    size: int = 0  # payload bytes


@dataclass
class Batch:
    """One batch being stored: shared by every handler of one transaction."""

    reject: Reject
    ignore: Ignore
    # device id -> column -> new value: the device rows' changes, one UPDATE per column set
    device_updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    # run in order after the transaction committed (acks to devices, commands to send)
    after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # run when the transaction failed: forget in-memory state the batch would have added
    after_rollback: list[Callable[[], None]] = field(default_factory=list)

    def device(self, device_id: str) -> dict[str, Any]:
        """The pending changes of one device's row (created empty on first use)."""
        upd = self.device_updates.get(device_id)
        if upd is None:
            upd = self.device_updates[device_id] = {}
        return upd


class MessageHandler(Protocol):
    """Stores the messages of the types it declares, inside the batch's transaction."""

    # the message classes this handler stores; empty: it sees every message of the batch,
    # in order (presence needs every live message as proof of life)
    kinds: tuple[type[Message], ...]

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        """Store ``items`` (in arrival order) as part of ``batch``'s transaction."""
