"""A TCP proxy that injects network faults between two real parts (a fleet instance and the
broker, the fleet and its S3 store), for fault tests and benchmarks on loopback.

Modes, switched at any time:
- ``pass``: bytes flow both ways;
- ``delay``: every chunk waits ``delay_s`` before it is forwarded (a slow link or store);
- ``blackhole``: connections stay open but nothing is forwarded, and new connections are
  accepted and left hanging (a partition: the peers see silence, not a reset);
- :meth:`FaultProxy.cut` closes every open connection at once (a reset).

Bytes held during a blackhole are dropped, as a partition drops them; TCP's own
retransmission is not simulated, so a peer only learns of the partition from its own
timeouts, as it would in the field.
"""

import asyncio
import contextlib
import logging

from devtools.broker import free_port

log = logging.getLogger("devtools.faults")

MODES = ("pass", "delay", "blackhole")


class FaultProxy:
    """Listen on ``127.0.0.1:port`` and forward to ``target_host:target_port``."""

    def __init__(self, target_host: str, target_port: int, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.port = port or free_port()
        self.mode = "pass"
        self.delay_s = 0.0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def set_mode(self, mode: str, delay_s: float = 0.0) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "delay" and delay_s <= 0:
            raise ValueError("the delay mode needs delay_s > 0")
        self.mode, self.delay_s = mode, delay_s
        log.info("proxy :%d -> %s:%d now %s", self.port, *self.target, mode)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.cut()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def cut(self) -> None:
        """Close every connection open now (both sides see a reset)."""
        for w in list(self._writers):
            w.transport.abort()
        self._writers.clear()

    async def __aenter__(self) -> "FaultProxy":
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while self.mode == "blackhole":  # a partition: the connection hangs
            await asyncio.sleep(0.05)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pump(src, dst))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while data := await src.read(65536):
                if self.mode == "delay":
                    await asyncio.sleep(self.delay_s)
                if self.mode == "blackhole":
                    continue
                dst.write(data)
                await dst.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(dst)
            with contextlib.suppress(Exception):
                dst.transport.abort()
