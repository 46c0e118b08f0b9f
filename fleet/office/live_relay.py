"""Live changes shared between fleet instances through PostgreSQL's LISTEN/NOTIFY, so a web
office tab on any instance sees what every instance ingested (issue 22).

Each instance sends what its hub publishes (fleet/office/live.py) as notifications on
:data:`CHANNEL`, cut to fit PostgreSQL's 8,000-byte payload, from a queue, so ingest never
waits on it; each instance's listener publishes what the others sent into its own hub. Live
views are best effort: when the queue is full a change is dropped and counted, and after a
lost connection the hub forgets its history (a tab resuming reloads its page) while the relay
connects again.
"""

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import orjson

from fleet.office.live import LiveHub

log = logging.getLogger("fleet.live_relay")

CHANNEL = "crms_live"
MAX_PAYLOAD = 7900  # bytes; PostgreSQL refuses 8,000 and more
QUEUE = 1000  # published batches waiting to be sent


def payloads(origin: str, kind: str, items: list[tuple[str, str | None, Any]]) -> list[str]:
    """``items`` as notification payloads of at most :data:`MAX_PAYLOAD` bytes each (an item
    too large on its own is left out: a tab reloading shows it)."""
    out: list[str] = []
    head = orjson.dumps({"from": origin, "kind": kind, "items": []})[:-2]  # ...,"items":[
    part: list[bytes] = []
    size = len(head) + 2
    for item in items:
        one = orjson.dumps(list(item))
        if len(head) + len(one) + 2 > MAX_PAYLOAD:
            continue
        if size + len(one) + 1 > MAX_PAYLOAD:
            out.append((head + b",".join(part) + b"]}").decode())
            part, size = [], len(head) + 2
        part.append(one)
        size += len(one) + 1
    if part:
        out.append((head + b",".join(part) + b"]}").decode())
    return out


class LiveRelay:
    """One instance's end of the relay; :meth:`send` is the hub's ``relay``."""

    def __init__(self, dsn: str, origin: str, hub: LiveHub) -> None:
        self.dsn = dsn.split("?", 1)[0].replace("postgres://", "postgresql://", 1)
        self.origin, self.hub = origin, hub
        self._queue: asyncio.Queue[tuple[str, list[Any]]] = asyncio.Queue(QUEUE)
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.received = 0

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._run(), name="live relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()

    def send(self, kind: str, items: list[Any]) -> None:
        try:
            self._queue.put_nowait((kind, items))
        except asyncio.QueueFull:
            self.dropped += 1

    async def _connect(self) -> None:
        self._conn = await asyncpg.connect(self.dsn)
        await self._conn.add_listener(CHANNEL, self._heard)

    def _heard(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            msg = orjson.loads(payload)
            if msg["from"] == self.origin:
                return
            items = [(d, s, data) for d, s, data in msg["items"]]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            log.warning("a live change that is not ours to read: %.80s", payload)
            return
        self.received += len(items)
        self.hub.publish(msg["kind"], items, relay=False)

    async def _run(self) -> None:
        while True:
            kind, items = await self._queue.get()
            try:
                assert self._conn is not None
                for payload in payloads(self.origin, kind, items):
                    await self._conn.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("live relay lost its connection (%s); connecting again", exc)
                self.hub.unobserved()  # what the others sent meanwhile is lost to our tabs
                await self._reconnect()

    async def _reconnect(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            try:
                await self._connect()
                return
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("live relay: %s; trying again", exc)
