"""Presence through a real Mosquitto with real badges (the firmware in the MicroPython unix
port) and the fleet as its own process: a killed device, a restarted broker, a killed fleet.
After each, every device's state is right within 1.5 x keepalive (plus the broker's check)."""

import signal
import subprocess
from pathlib import Path

from devtools import procs
from devtools.broker import MosquittoProcess
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices
from tests.conftest import SQLITE_ONLY, FleetProcess, eventually

KEEPALIVE_S = 5
# Mosquitto fires a last will at 1.5 x keepalive; the fleet's sweep at the same bound. Allow
# for the sweep period and process start-up, nothing more.
WITHIN_S = 1.5 * KEEPALIVE_S + 6


def _badge(tmp_path: Path, dev: str, port: int) -> subprocess.Popen[bytes]:
    cfg = devices.badge_config(
        dev, "st-1", "127.0.0.1", port, tele_interval_s=2, keepalive_s=KEEPALIVE_S
    )
    path = devices.write_config(tmp_path / f"{dev}.json", cfg)
    argv = devices.badge_command(path, devices.idle_scenario(tmp_path / f"{dev}-world"))
    return procs.spawn(argv, tmp_path / f"{dev}.log", micropython_env())


async def _states(fleet: FleetProcess) -> dict[str, tuple[bool, str]]:
    page = await fleet.get("api/v1/devices")
    return {d["id"]: (d["online"], d["status_reason"]) for d in page["items"]}


async def _expect(fleet: FleetProcess, want: dict[str, tuple[bool, str]], timeout: float) -> None:
    async def matches() -> bool:
        return await _states(fleet) == want

    try:
        await eventually(matches, timeout=timeout, every=0.25)
    except AssertionError:
        raise AssertionError(f"wanted {want}, have {await _states(fleet)}") from None


# on SQLite only: presence on PostgreSQL, across instances, is tests/test_presence_instances.py
@SQLITE_ONLY
async def test_presence_survives_kills_and_restarts(
    fleet_process: FleetProcess, broker: MosquittoProcess, tmp_path: Path
) -> None:
    fleet = fleet_process
    ids = ["badge-a", "badge-b", "badge-c"]
    for dev in ids:
        await fleet.post("api/v1/devices", {"id": dev, "kind": "badge", "station": "st-1"})
    badges = {dev: _badge(tmp_path, dev, broker.config.port) for dev in ids}
    try:
        await _expect(fleet, {d: (True, "") for d in ids}, timeout=30)

        # 1. A device dies: its last will says so.
        procs.stop(badges["badge-a"], signal.SIGKILL)
        await _expect(
            fleet,
            {"badge-a": (False, "lost"), "badge-b": (True, ""), "badge-c": (True, "")},
            WITHIN_S,
        )

        # 2. The broker crashes; a device dies while it is down (no last will can be sent),
        #    another lives on and reconnects. The dead one must not stay "online".
        broker.kill()
        procs.stop(badges["badge-b"], signal.SIGKILL)
        broker.start()
        await _expect(
            fleet,
            {"badge-a": (False, "lost"), "badge-b": (False, "silent"), "badge-c": (True, "")},
            WITHIN_S + 10,  # + the badge's reconnect backoff
        )

        # 3. The fleet crashes; meanwhile one device dies and another comes back.
        fleet.kill()
        procs.stop(badges["badge-c"], signal.SIGKILL)
        badges["badge-a"] = _badge(tmp_path, "badge-a", broker.config.port)
        await fleet.start()
        await _expect(
            fleet,
            {"badge-a": (True, ""), "badge-b": (False, "silent"), "badge-c": (False, "lost")},
            WITHIN_S + 5,
        )
    finally:
        for proc in badges.values():
            procs.stop(proc, signal.SIGKILL)
