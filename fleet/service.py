"""Run the fleet manager as a service until SIGINT/SIGTERM."""

import asyncio
import signal
from collections.abc import Callable

from fleet.app import start_app
from fleet.settings import FleetSettings


async def serve(settings: FleetSettings, say: Callable[[str], None] = print) -> None:
    """Serve until a stop signal, then shut down cleanly (queued messages are stored)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner, _app, url = await start_app(settings)
    say(f"fleet manager: {url}")
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
