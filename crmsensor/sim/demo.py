"""The whole system on one machine: Mosquitto, the fleet manager, a simulated badge running
the real firmware in the MicroPython unix port, and a kiosk agent."""

import asyncio
import contextlib
import shutil
import signal
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crmsensor import procs
from crmsensor.broker import MosquittoProcess, free_port, render_config
from crmsensor.fwtools.runner import micropython_env
from crmsensor.paths import RUN_DIR
from crmsensor.sim import devices
from fleet.app import start_app
from fleet.db import sqlite_url
from fleet.registry import DeviceSpec, register
from fleet.settings import FleetSettings

STATION = "demo-station-1"


@dataclass(frozen=True)
class DemoOptions:
    """How big the demo is and where it keeps its files."""

    workdir: Path = RUN_DIR / "demo"
    http_port: int = 8080
    badges: int = 1
    kiosks: int = 1
    tele_interval_s: int = 5


def _port_or_free(port: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return free_port()
    return port


async def run_demo(opts: DemoOptions, say: Callable[[str], None] = print) -> None:
    """Start everything, run until SIGINT/SIGTERM, then stop everything it started."""
    if opts.workdir.exists():
        shutil.rmtree(opts.workdir)
    opts.workdir.mkdir(parents=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    broker_port = free_port()
    broker = MosquittoProcess(render_config(opts.workdir / "broker", broker_port))
    broker.start()
    children: list[subprocess.Popen[bytes]] = []
    runner = None
    try:
        settings = FleetSettings(
            db_url=sqlite_url(str(opts.workdir / "fleet.sqlite3")),
            broker_port=broker_port,
            http_port=_port_or_free(opts.http_port),
            objects_dir=opts.workdir / "objects",
        )
        runner, _app, url = await start_app(settings)
        logs = opts.workdir / "logs"
        for i in range(1, opts.badges + 1):
            dev = f"badge-{i:04d}"
            await register(DeviceSpec(dev, "badge", STATION, "badge-r1"))
            cfg = devices.badge_config(
                dev,
                STATION,
                "127.0.0.1",
                broker_port,
                opts.workdir / "storage",
                opts.tele_interval_s,
            )
            (opts.workdir / "storage").mkdir(exist_ok=True)
            path = devices.write_config(opts.workdir / "devices" / f"{dev}.json", cfg)
            children.append(
                procs.spawn(devices.badge_command(path), logs / f"{dev}.log", micropython_env())
            )
        for i in range(1, opts.kiosks + 1):
            dev = f"kiosk-{i:04d}"
            await register(DeviceSpec(dev, "kiosk", STATION, "kiosk-r1"))
            cfg = devices.kiosk_config(dev, STATION, "127.0.0.1", broker_port, opts.tele_interval_s)
            path = devices.write_config(opts.workdir / "devices" / f"{dev}.json", cfg)
            children.append(procs.spawn(devices.kiosk_command(path), logs / f"{dev}.log"))
        say(f"broker:        mqtt://127.0.0.1:{broker_port} (log {broker.config.log_file})")
        say(
            f"devices:       {opts.badges} badge(s) in MicroPython, {opts.kiosks} kiosk(s); "
            f"logs in {logs}"
        )
        say(f"fleet manager: {url}")
        say("Ctrl-C stops everything.")
        while not stop.is_set():
            for proc in children:
                if proc.poll() is not None:
                    say(f"a device process exited ({proc.returncode}): {' '.join(proc.args)}")  # type: ignore[arg-type]
                    children.remove(proc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
    finally:
        say("stopping...")
        for proc in children:
            # SIGINT lets the badge and kiosk say "offline (shutdown)" before they go.
            procs.stop(proc, signal.SIGINT)
        if runner is not None:
            await runner.cleanup()
        broker.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        say("stopped.")
