"""The badge answers the fleet's commands (start/stop recording, report storage, set config,
reboot), and a badge whose config is invalid still records, says why, and stays off the air.
Real firmware in the MicroPython unix port, its config in a LittleFS flash image."""

import json
import subprocess
from pathlib import Path
from typing import Any

from devtools import procs
from devtools.broker import MosquittoProcess
from devtools.fwtools import flashimage
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices, scenario
from fleet.devices.commands import queue_command
from fleet.devices.models import Command, Device
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import SQLITE_ONLY, RunningFleet, eventually

DEV = "badge-0301"


async def _run(op: str, args: dict[str, Any] | None = None) -> Command:
    cmd = await queue_command(DEV, op, args)

    async def done() -> Command | None:
        return await Command.get_or_none(id=cmd.id, state="done")

    return await eventually(done, timeout=20)


@SQLITE_ONLY
async def test_badge_commands(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    cfg = devices.badge_config(DEV, "st-1", "127.0.0.1", broker.config.port, tele_interval_s=1)
    flash = flashimage.write({"config.json": json.dumps(cfg).encode()}, tmp_path / "flash.img")
    world = scenario.build(tmp_path / "world", [("desk_up", 600.0)], None)  # never worn
    log = tmp_path / "badge.log"
    badge = procs.spawn(
        devices.badge_command(flash=flash, scenario=world.path), log, micropython_env()
    )
    try:
        storage = await _run("storage")
        assert storage.ok and storage.result["pending"] == 0
        assert storage.result["recording"] is False and storage.result["free_kb"] > 0

        # Recording on command, although the badge lies on the desk, until told to stop.
        started = await _run("rec_start")
        assert started.ok and started.result["recording"] is True
        rec_id = started.result["rec"]
        stopped = await _run("rec_stop")
        assert stopped.ok and stopped.result["recording"] is False
        storage = await _run("storage")
        assert storage.result["pending"] == 1  # not on charge: kept for later
        assert (world.folder / "sd" / f"{rec_id}.json").exists()

        # A kiosk's session never makes a badge that is not worn record...
        kiosk = await _run("rec_start", {"kiosk_session": "s-0000abcd-1"})
        assert kiosk.ok and kiosk.result == {
            "recording": False, "rec": None, "kiosk_session": "s-0000abcd-1",
        }  # fmt: skip
        assert (await _run("rec_stop", {"kiosk_session": "s-0000abcd-1"})).ok
        # ...but splits a recording in progress and tags the part inside the session; the
        # part before it says that its end is the session's pre-roll.
        before = await _run("rec_start")
        inside = await _run("rec_start", {"kiosk_session": "s-0000abcd-2", "preroll_ms": 3000})
        assert inside.ok and inside.result["recording"] is True
        other = await _run("rec_stop", {"kiosk_session": "s-0000abcd-9"})  # not this session
        assert other.result["kiosk_session"] is None and other.result["recording"] is True
        after = await _run("rec_stop", {"kiosk_session": "s-0000abcd-2"})
        assert after.ok and after.result["recording"] is True  # still forced on
        await _run("rec_stop")
        bad = await _run("rec_start", {"kiosk_session": ""})
        assert not bad.ok and "kiosk_session" in (bad.error or "")
        for preroll in (-1, 60001, 1.5, "2000"):
            bad = await _run("rec_start", {"kiosk_session": "s-0000abcd-3", "preroll_ms": preroll})
            assert not bad.ok and "preroll_ms must be a whole number" in (bad.error or "")
        pre = json.loads((world.folder / "sd" / f"{before.result['rec']}.json").read_text())
        assert pre["preroll_session"] == "s-0000abcd-2"
        assert pre["preroll_ms"] == min(3000, pre["duration_ms"])  # never more than it holds
        tagged = json.loads((world.folder / "sd" / f"{inside.result['rec']}.json").read_text())
        assert tagged["kiosk_session"] == "s-0000abcd-2"
        untagged = json.loads((world.folder / "sd" / f"{after.result['rec']}.json").read_text())
        assert untagged["kiosk_session"] is None and after.result["rec"] != inside.result["rec"]
        assert "preroll_session" not in tagged and "preroll_session" not in untagged
        assert (await _run("storage")).result["pending"] == 4

        # set_config is checked, written to flash, and a bad value changes nothing.
        good = await _run("set_config", {"rec": {"codec": "pcm16"}, "tele_interval_s": 2})
        assert good.ok, good.error
        bad = await _run("set_config", {"rec": {"codec": "mp3"}})
        assert not bad.ok and "`rec.codec`" in (bad.error or "")
        remote = await _run("set_config", {"broker": {"host": "evil", "port": 1}})
        assert not remote.ok and "cannot be set remotely" in (remote.error or "")

        reboot = await _run("reboot")
        assert reboot.ok
        assert badge.wait(15) == 3  # the simulated board's reset: whoever runs it restarts it
    finally:
        if badge.poll() is None:
            badge.kill()
            badge.wait()
    stored = json.loads(flashimage.read(flash)["config.json"])
    assert stored["rec"] == {"codec": "pcm16"} and stored["tele_interval_s"] == 2
    assert stored["broker"] == cfg["broker"]

    async def offline() -> bool:
        d = await Device.get_or_none(id=DEV)
        return bool(d and not d.online and d.status_reason == "reboot")

    await eventually(offline, timeout=10)


def test_invalid_config_still_records_without_uplink(tmp_path: Path) -> None:
    cfg = devices.badge_config(DEV, "st-1", "127.0.0.1", 1883)
    cfg["broker"]["port"] = 0
    flash = flashimage.write({"config.json": json.dumps(cfg).encode()}, tmp_path / "flash.img")
    world = scenario.build(
        tmp_path / "world", [("desk_up", 2.0), ("still", 14.0), ("desk_up", 14.0)], None, speed=4
    )
    log = tmp_path / "badge.log"
    badge = procs.spawn(
        devices.badge_command(flash=flash, scenario=world.path), log, micropython_env()
    )
    try:
        badge.wait(12)
    except subprocess.TimeoutExpired:
        pass
    finally:
        badge.kill()
        badge.wait()
    text = log.read_text()
    assert "config: `broker.port` must be 1-65535, got 0" in text, text
    assert "no uplink" in text and "uplink:" not in text
    (entry,) = [json.loads(p.read_text()) for p in (world.folder / "sd").glob("*.json")]
    assert entry["duration_ms"] > 3000 and entry["worn_session"]
