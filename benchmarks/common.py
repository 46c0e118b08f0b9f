"""Shared pieces of the benchmarks: a broker and a fleet on loopback, medians, printing."""

import asyncio
import statistics
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.broker import MosquittoProcess, free_port, render_config
from fleet.app import start_app
from fleet.db import sqlite_url
from fleet.settings import FleetSettings
from fleet.state import INGEST, LINK


@asynccontextmanager
async def broker(workdir: Path) -> AsyncIterator[MosquittoProcess]:
    """Mosquitto with the project's configuration on a free loopback port."""
    proc = MosquittoProcess(render_config(workdir / f"broker-{uuid.uuid4().hex[:6]}", free_port()))
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@dataclass
class Fleet:
    runner: web.AppRunner
    app: web.Application
    url: str

    @property
    def ingest(self):  # type: ignore[no-untyped-def]
        return self.app[INGEST]


@asynccontextmanager
async def fleet(
    workdir: Path, broker_port: int, client_id: str = "fleet-bench"
) -> AsyncIterator[Fleet]:
    """A fleet manager on SQLite in ``workdir``, its MQTT link up."""
    settings = FleetSettings(
        db_url=sqlite_url(str(workdir / "fleet.sqlite3")),
        broker_port=broker_port,
        http_port=0,
        objects_dir=workdir / "objects",
        client_id=client_id,
    )
    runner, app, url = await start_app(settings)
    await asyncio.wait_for(app[LINK].connected.wait(), 10)
    try:
        yield Fleet(runner, app, url)
    finally:
        await runner.cleanup()


def tmpdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="crms-bench-"))


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]
