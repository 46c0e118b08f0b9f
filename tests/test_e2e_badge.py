"""End to end: the real badge firmware in the MicroPython unix port, a real Mosquitto with
the project's configuration, and the fleet manager storing what it says."""

import signal
import subprocess
from pathlib import Path

from devtools import procs
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices
from fleet.devices.commands import queue_command
from fleet.devices.models import Command, Device, Event, Telemetry
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import eventually

DEV = "badge-0007"


def _start_badge(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    cfg = devices.badge_config(DEV, "st-1", "127.0.0.1", port, tele_interval_s=1, keepalive_s=10)
    path = devices.write_config(tmp_path / f"{DEV}.json", cfg)
    scenario = devices.idle_scenario(tmp_path / "world")
    argv = devices.badge_command(path, scenario)
    return procs.spawn(argv, tmp_path / "badge.log", micropython_env())


async def _device() -> Device | None:
    return await Device.get_or_none(id=DEV)


async def test_badge_reports_and_last_will_marks_it_offline(fleet, broker, tmp_path: Path):
    await register(DeviceSpec(DEV, "badge", "st-1", "badge-r1"))
    badge = _start_badge(tmp_path, broker.config.port)
    try:

        async def online() -> bool:
            d = await _device()
            return bool(d and d.online)

        await eventually(online, timeout=20)
        rows = await eventually(
            lambda: Telemetry.filter(device_id=DEV).order_by("seq").limit(2), timeout=20
        )
        d = await _device()
        assert d is not None
        assert d.fw == "0.1.0" and d.keepalive_s == 10
        first = rows[0].data
        assert {
            "seq",
            "uptime_s",
            "batt_mv",
            "batt_pct",
            "charging",
            "storage_free_kb",
            "rssi_dbm",
            "heap_free",
            "worn",
            "backlog",
        } <= first.keys()
        assert first["charging"] is False and 0 <= first["batt_pct"] <= 100
        boot = await eventually(lambda: Event.filter(device_id=DEV, type="boot").first())
        assert boot.data == {"hw": "sim"}
    finally:
        # Killed, not stopped: the broker must publish the badge's last will.
        badge.send_signal(signal.SIGKILL)
        badge.wait()

    async def offline_by_will() -> bool:
        d = await _device()
        return bool(d and not d.online and d.status_reason == "lost")

    await eventually(offline_by_will, timeout=20)
    log = (tmp_path / "badge.log").read_text()
    assert "uplink: connected" in log


async def test_badge_says_offline_itself_on_ctrl_c(fleet, broker, tmp_path: Path):
    await register(DeviceSpec(DEV, "badge", "st-1"))
    badge = _start_badge(tmp_path, broker.config.port)

    async def online() -> bool:
        d = await _device()
        return bool(d and d.online)

    try:
        await eventually(online, timeout=20)
    finally:
        procs.stop(badge, signal.SIGINT)

    async def offline_shutdown() -> bool:
        d = await _device()
        return bool(d and not d.online and d.status_reason == "shutdown")

    await eventually(offline_shutdown, timeout=20)


async def test_badge_answers_queued_commands(fleet, broker, tmp_path: Path):
    await register(DeviceSpec(DEV, "badge", "st-1"))
    badge = _start_badge(tmp_path, broker.config.port)
    try:

        async def online() -> bool:
            d = await _device()
            return bool(d and d.online)

        await eventually(online, timeout=20)
        # Queued in the fleet, sent by its dispatcher, answered by the firmware, tracked.
        ping = await queue_command(DEV, "ping")
        ota = await queue_command(DEV, "ota", {"url": "x"})

        async def both() -> list:
            rows = await Command.filter(id__in=[ping.id, ota.id], state="done")
            return rows if len(rows) == 2 else []

        results = {c.id: c for c in await eventually(both, timeout=15)}
        assert results[ping.id].ok is True and "uptime_s" in results[ping.id].result
        # a malformed update is refused with what is wrong with it
        assert results[ota.id].ok is False
        assert results[ota.id].error == "ota: release must be a positive whole number"
    finally:
        procs.stop(badge, signal.SIGKILL)
