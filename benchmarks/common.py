"""Shared pieces of the benchmarks: a broker and a fleet on loopback, medians, printing."""

import asyncio
import statistics
import subprocess
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
from fleet.settings import FleetSettings, RateLimits
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
    workdir: Path, broker_port: int, client_id: str = "fleet-bench", limits: bool = True
) -> AsyncIterator[Fleet]:
    """A fleet manager on SQLite in ``workdir``, its MQTT link up; ``limits=False`` turns the
    per-device telemetry budget off (a benchmark draining many reports per device at once)."""
    settings = FleetSettings(
        db_url=sqlite_url(str(workdir / "fleet.sqlite3")),
        broker_port=broker_port,
        http_port=0,
        objects_dir=workdir / "objects",
        client_id=client_id,
        rate_limit=RateLimits() if limits else RateLimits(tele_per_s=0),
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


@asynccontextmanager
async def fleet_process(workdir: Path, db_url: str, broker_port: int) -> AsyncIterator[str]:
    """``crmsensor fleet serve`` as its own process on ``db_url``; yields its base URL once
    it is healthy, stops it after."""
    import os

    from devtools import procs

    http_port = free_port()
    argv = [
        sys.executable, "-m", "cli.main", "fleet", "serve", "--db", db_url,
        "--broker", f"127.0.0.1:{broker_port}", "--http", f"127.0.0.1:{http_port}",
    ]  # fmt: skip
    env = {**os.environ, "CRMS_FLEET_OBJECTS_DIR": str(workdir / "objects")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    server = procs.spawn(argv, workdir / "fleet.log", env)
    base = f"http://127.0.0.1:{http_port}/"
    try:
        await wait_healthy(server, base, f"{workdir}/fleet.log")
        yield base
    finally:
        procs.stop(server)


def spawn_instance(
    work: Path, name: str, db: str, port: int, tls: tuple[str, str, str], extra: str = ""
) -> "tuple[subprocess.Popen[bytes], str]":
    """``crmsensor fleet serve`` as instance ``name`` of share group ``fleet`` on database
    ``db``, through the `tls` broker profile at ``port`` with the fleet's (ca, cert, key);
    ``extra`` is added to its settings file. (process, base URL); wait with
    :func:`wait_healthy`."""
    import os

    from devtools import procs

    folder = work / name
    folder.mkdir(exist_ok=True)
    http = free_port()
    ca, cert, key = tls
    (folder / "fleet.toml").write_text(
        f'client_id = "{name}"\nshare_group = "fleet"\nobjects_dir = "{work / "objects"}"\n'
        f'[broker_tls]\nca = "{ca}"\ncert = "{cert}"\nkey = "{key}"\n' + extra
    )
    argv = [sys.executable, "-m", "cli.main", "fleet", "serve", "--config",
            str(folder / "fleet.toml"), "--db", db, "--broker", f"127.0.0.1:{port}",
            "--http", f"127.0.0.1:{http}"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = procs.spawn(argv, folder / "fleet.log", env)
    return proc, f"http://127.0.0.1:{http}/"


def run_goal_scripts(scripts: tuple[str, ...]) -> None:
    """Run benchmark scripts of this folder one after another (so they do not share the two
    cores), each one's own output first, then every line that states a goal."""
    here = Path(__file__).resolve().parent
    summary: list[str] = []
    for name in scripts:
        print(f"\n=== {name} ===", flush=True)
        run = subprocess.run([sys.executable, str(here / name)], capture_output=True, text=True)
        shown = [line for line in run.stdout.splitlines() if line.strip()]
        print("\n".join(shown), flush=True)
        if run.returncode != 0:
            print(run.stderr[-3000:])
            summary.append(f"{name}: FAILED (exit {run.returncode})")
        summary += [f"{name}: {line.strip()}" for line in shown if "goal" in line]
    print("\n=== goals ===")
    print("\n".join(summary))


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far, from /proc."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_healthy(proc: "subprocess.Popen[bytes]", base: str, log: str) -> None:
    """Until the fleet process ``proc`` serving ``base`` answers ``/healthz`` 200 (its MQTT
    link is up); SystemExit naming ``log`` when it exits or takes over a minute."""
    import time

    import aiohttp

    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the fleet manager did not start; see {log}")
            try:
                async with http.get(base + "healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
