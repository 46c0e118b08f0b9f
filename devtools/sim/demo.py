"""The whole system on one machine: Mosquitto, the fleet manager, a simulated badge running
the real firmware in the MicroPython unix port, and a kiosk agent."""

import asyncio
import contextlib
import json
import secrets
import shutil
import signal
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devtools import procs
from devtools.broker import MosquittoProcess, free_port, render_config
from devtools.fwtools.runner import micropython_env
from devtools.paths import RUN_DIR
from devtools.sim import devices, scenario
from fleet.app import start_app
from fleet.db import close_db, open_db, sqlite_url
from fleet.devices.registry import DeviceSpec
from fleet.identity.broker_access import broker_tls_files, fleet_identity
from fleet.identity.ca import FleetCA, PassphraseKeyStore
from fleet.identity.provision import Broker, provision
from fleet.office import accounts
from fleet.settings import FleetSettings

STATION = "demo-station-1"
DEMO_ADMIN = "admin"  # the web office login the demo prints
# Each simulated badge lies on the desk, is worn while its wearer talks, is put down and
# goes on charge, and then uploads what it recorded.
DEMO_SHIFT = [("desk_up", 5.0), ("still", 60.0), ("desk_up", 10.0)]
DEMO_CHARGE_AT_S = 80.0


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


async def _provision_devices(
    opts: DemoOptions, ca: FleetCA, db_url: str, broker_port: int
) -> list[tuple[str, Path]]:
    """Register and provision the demo's badges and kiosks; their config files."""
    target = Broker("127.0.0.1", broker_port)
    configs = []
    await open_db(db_url)
    try:
        for kind, count in (("badge", opts.badges), ("kiosk", opts.kiosks)):
            for i in range(1, count + 1):
                dev = f"{kind}-{i:04d}"
                extra: dict[str, object] = {"tele_interval_s": opts.tele_interval_s}
                if kind == "kiosk":  # its customers' screen, on a port of its own
                    extra["screen"] = {"port": free_port(), "dir": "screen", "quota_mb": 256}
                spec = DeviceSpec(dev, kind, STATION, f"{kind}-r1")
                done = await provision(ca, spec, opts.workdir / "devices" / dev, target, extra)
                configs.append((dev, done.config))
    finally:
        await close_db()
    return configs


async def _web_office_admin(db_url: str) -> str:
    """An admin for the web office with a fresh random password (printed by the demo)."""
    password = secrets.token_urlsafe(12)
    await open_db(db_url)
    try:
        await accounts.add_user(DEMO_ADMIN, password, [accounts.GrantSpec("admin")])
    finally:
        await close_db()
    return password


REBOOT_EXIT = 3  # the simulated board's exit code for a reboot (firmware/crms/boards/sim.py)


async def run_demo(opts: DemoOptions, say: Callable[[str], None] = print) -> None:
    """Start everything, run until SIGINT/SIGTERM, then stop everything it started."""
    if opts.workdir.exists():
        shutil.rmtree(opts.workdir)
    opts.workdir.mkdir(parents=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    # Identity first: a CA for this demo, every device provisioned into the registry with its
    # own certificate, and the broker configured from that registry (the `tls` profile).
    broker_port = free_port()
    db_url = sqlite_url(str(opts.workdir / "fleet.sqlite3"))
    ca = FleetCA.create(opts.workdir / "ca", PassphraseKeyStore(secrets.token_urlsafe(24)))
    configs = await _provision_devices(opts, ca, db_url, broker_port)
    admin_password = await _web_office_admin(db_url)
    fleet_tls = fleet_identity(ca, opts.workdir / "fleet-tls")
    tls = broker_tls_files(
        ca, opts.workdir / "broker-tls", ["127.0.0.1", "localhost"], [d for d, _ in configs]
    )
    broker = MosquittoProcess(render_config(opts.workdir / "broker", broker_port, "tls", tls=tls))
    broker.start()
    running: dict[str, subprocess.Popen[bytes]] = {}
    runner = None
    try:
        settings = FleetSettings(
            db_url=db_url,
            broker_port=broker_port,
            http_port=_port_or_free(opts.http_port),
            objects_dir=opts.workdir / "objects",
            broker_tls=fleet_tls,
        )
        runner, _app, url = await start_app(settings)
        logs = opts.workdir / "logs"
        # How to start each device again: a badge that reboots restarts, as hardware does.
        starts: dict[str, tuple[list[str], Path, dict[str, str] | None]] = {}
        for dev, path in configs:
            if dev.startswith("badge"):
                world = scenario.build(opts.workdir / "worlds" / dev, DEMO_SHIFT, DEMO_CHARGE_AT_S)
                argv, env = devices.badge_command(path, world.path), micropython_env()
            else:
                argv, env = devices.kiosk_command(path), None
            starts[dev] = (argv, logs / f"{dev}.log", env)
        running = {dev: procs.spawn(*starts[dev]) for dev in starts}
        say(
            f"broker:        mqtts://127.0.0.1:{broker_port}, client certificates from "
            f"{ca.folder} (log {broker.config.log_file})"
        )
        say(
            f"devices:       {opts.badges} badge(s) in MicroPython, {opts.kiosks} kiosk(s); "
            f"logs in {logs}"
        )
        say(f"fleet manager: {url}")
        for dev, path in configs:
            screen = json.loads(path.read_text()).get("screen")
            if screen:
                say(f"{dev} screen: http://127.0.0.1:{screen['port']}/ (scenarios: the web "
                    "office's Screens page)")  # fmt: skip
        say(f"web office:    log in as {DEMO_ADMIN} with password {admin_password}")
        say("Ctrl-C stops everything.")
        while not stop.is_set():
            for dev, proc in list(running.items()):
                if proc.poll() is None:
                    continue
                if proc.returncode == REBOOT_EXIT:
                    say(f"{dev} rebooted; starting it again")
                    running[dev] = procs.spawn(*starts[dev])
                else:
                    say(f"{dev} exited ({proc.returncode}); see its log")
                    del running[dev]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
    finally:
        say("stopping...")
        for proc in running.values():
            # SIGINT lets the badge and kiosk say "offline (shutdown)" before they go.
            procs.stop(proc, signal.SIGINT)
        if runner is not None:
            await runner.cleanup()
        broker.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        say("stopped.")
