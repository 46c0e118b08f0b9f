"""The fleet's downlink queue: what the MQTT link publishes to devices (recording acks,
commands), filled by whichever capability has something to say."""

import asyncio


class Downlink:
    """A bounded queue of ``(topic, payload)`` for the MQTT link to publish at QoS 1.

    Bounded so a link that is down cannot make the fleet grow without limit: a producer waits
    for room. Nothing here is lost if the fleet stops: acks are idempotent (a device asks again)
    and commands are re-sent from the database until answered.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(size)

    async def send(self, topic: str, payload: bytes) -> None:
        """Queue one message, waiting for room."""
        await self._queue.put((topic, payload))

    async def next(self) -> tuple[str, bytes]:
        """The next message to publish (waits for one)."""
        return await self._queue.get()

    def drain(self) -> list[tuple[str, bytes]]:
        """Take every queued message without waiting (tests and shutdown)."""
        out = []
        while not self._queue.empty():
            out.append(self._queue.get_nowait())
        return out

    def qsize(self) -> int:
        """Messages waiting."""
        return self._queue.qsize()
