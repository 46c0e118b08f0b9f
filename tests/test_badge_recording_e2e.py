"""Issue 5's end to end: the real badge firmware in the MicroPython unix port (192k heap),
booting from a LittleFS flash image, worn per an accelerometer trace while real speech plays,
taken off, put on charge; its recordings reach the fleet through a real Mosquitto
byte-identical, also across a broker restart and a fleet kill in the middle of an upload."""

import asyncio
import hashlib
import json
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from devtools import procs
from devtools.broker import MosquittoProcess
from devtools.fwtools import flashimage
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices, scenario
from fleet.devices.models import Event
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording, UploadChunk
from tests.conftest import SQLITE_ONLY, FleetProcess, RunningFleet, eventually

DEV = "badge-0201"
# On the desk, worn while the wearer talks, put down, then on charge.
SHIFT = [("desk_up", 4.0), ("still", 24.0), ("desk_up", 14.0)]
CHARGE_AT_S = 40.0
SPEED = 4.0  # world seconds per real second


@dataclass
class Badge:
    proc: subprocess.Popen[bytes]
    world: scenario.Scenario
    flash: Path
    log: Path

    @property
    def sd(self) -> Path:
        return self.world.folder / "sd"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def entries(self, ext: str) -> list[dict[str, Any]]:
        return [json.loads(p.read_text()) for p in sorted(self.sd.glob(f"*.{ext}"))]


def start_badge(tmp_path: Path, port: int, rec: dict[str, Any]) -> Badge:
    cfg = devices.badge_config(DEV, "st-1", "127.0.0.1", port, tele_interval_s=1, keepalive_s=10)
    cfg["rec"] = rec
    flash = flashimage.write({"config.json": json.dumps(cfg).encode()}, tmp_path / "flash.img")
    world = scenario.build(tmp_path / "world", SHIFT, CHARGE_AT_S, speed=SPEED, seed=5)
    log = tmp_path / "badge.log"
    argv = devices.badge_command(scenario=world.path, flash=flash)
    return Badge(procs.spawn(argv, log, micropython_env()), world, flash, log)


async def download(fleet: RunningFleet, rec: Recording) -> bytes:
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.get(f"{fleet.url}api/v1/recordings/{rec.id}/audio") as r,
    ):
        assert r.status == 200
        return await r.read()


async def events(type_: str) -> list[dict[str, Any]]:
    rows = await Event.filter(device_id=DEV, type=type_).order_by("seq")
    return [r.data for r in rows]


async def check_recorded_as_worn(badge: Badge) -> None:
    """Recording started within 2 s of being worn, stopped within 10 s of being taken off,
    and nothing was recorded on the desk before."""
    ((worn_at, off_at),) = badge.world.worn
    (worn,) = await events("worn")
    (unworn,) = await events("unworn")
    starts = await events("rec_start")
    stops = await events("rec_stop")
    assert worn_at * 1000 <= worn["t_ms"] <= worn_at * 1000 + 2000, (worn, worn_at)
    assert off_at * 1000 <= unworn["t_ms"] <= off_at * 1000 + 10000, (unworn, off_at)
    assert len(starts) == len(stops) == 1
    assert worn_at * 1000 <= starts[0]["t_ms"] <= worn_at * 1000 + 2000
    assert stops[0]["t_ms"] <= off_at * 1000 + 10000


def check_speech_kept(badge: Badge, entry: dict[str, Any]) -> None:
    """The trimmer kept the speech and dropped long silences (and marked the cuts)."""
    spoken_ms = sum(b - a for a, b in badge.world.speech) * 1000
    ((worn_at, off_at),) = badge.world.worn
    assert spoken_ms > 8000
    assert spoken_ms * 0.9 <= entry["duration_ms"] < (off_at - worn_at + 10) * 1000
    assert entry["cuts"] >= 1 and entry["dropped_ms"] > 0


def check_local_copy(badge: Badge, fleet_bytes: dict[str, bytes]) -> None:
    """Every recording the badge made is acknowledged and the fleet's bytes are the badge's."""
    assert badge.entries("json") == [] and list(badge.sd.glob("*.part")) == []
    acked = badge.entries("ack")
    assert acked and sorted(e["id"] for e in acked) == sorted(fleet_bytes)
    for e in acked:
        local = (badge.sd / f"{e['id']}.wav").read_bytes()
        assert hashlib.sha256(local).hexdigest() == e["sha256"]
        assert fleet_bytes[e["id"]] == local


@SQLITE_ONLY
async def test_worn_badge_records_speech_and_uploads_it_on_charge(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    badge = start_badge(tmp_path, broker.config.port, {"codec": "pcm16", "chunk_size": 4096})
    try:
        rec = await eventually(lambda: Recording.filter(device_id=DEV).first(), timeout=60)

        async def acked() -> bool:
            return bool(badge.entries("ack"))

        await eventually(acked, timeout=30)
    finally:
        badge.stop()
    log = badge.log.read_text()
    await check_recorded_as_worn(badge)
    body = await download(fleet, rec)
    check_local_copy(badge, {rec.rec_id: body})
    (entry,) = badge.entries("ack")
    check_speech_kept(badge, entry)
    assert rec.sha256 == entry["sha256"] and rec.worn_session == entry["worn_session"]
    with wave.open(str(badge.sd / f"{entry['id']}.wav")) as w:  # a valid WAV, 16 kHz mono
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
        assert w.getnframes() * 1000 // 16000 == entry["duration_ms"]
    assert "upload: " + entry["id"] + " complete," in log, log


async def _partly_uploaded(min_chunks: int) -> bool:
    return await UploadChunk.all().count() >= min_chunks


@SQLITE_ONLY
async def test_upload_survives_a_broker_restart(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    rec = {"codec": "ima_adpcm", "chunk_size": 1024, "upload_gap_ms": 25}
    badge = start_badge(tmp_path, broker.config.port, rec)
    try:
        await eventually(lambda: _partly_uploaded(20), timeout=60, every=0.05)
        broker.stop()  # mid-upload: the badge's link and the fleet's both drop
        await asyncio.sleep(2.0)
        broker.start()
        stored = await eventually(lambda: Recording.filter(device_id=DEV).first(), timeout=60)
        await eventually(lambda: bool(badge.entries("ack")), timeout=30)
    finally:
        badge.stop()
    log = badge.log.read_text()
    assert "upload: link down during" in log or "uplink: link lost" in log, log
    body = await download(fleet, stored)
    check_local_copy(badge, {stored.rec_id: body})
    await check_recorded_as_worn(badge)


# on SQLite only: a fleet killed mid-upload on PostgreSQL is tests/test_recordings_e2e.py's
@SQLITE_ONLY
async def test_upload_survives_a_fleet_kill(
    fleet_process: FleetProcess, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await fleet_process.post("api/v1/devices", {"id": DEV, "kind": "badge", "station": "st-1"})
    rec = {"codec": "ima_adpcm", "chunk_size": 1024, "upload_gap_ms": 25}
    badge = start_badge(tmp_path, broker.config.port, rec)
    try:

        async def some_staged() -> bool:
            text = (await fleet_process.get("metrics")).decode()
            line = [x for x in text.splitlines() if x.startswith("crms_ingest_written_total")]
            return bool(line) and float(line[0].split()[-1]) >= 40

        await eventually(some_staged, timeout=60, every=0.05)
        fleet_process.kill()  # chunks staged, some acked, more in flight
        await asyncio.sleep(1.0)
        await fleet_process.start()

        async def listed() -> list[dict[str, Any]]:
            page = await fleet_process.get(f"api/v1/recordings?device={DEV}")
            return list(page["items"])

        (item,) = await eventually(listed, timeout=60)
        await eventually(lambda: bool(badge.entries("ack")), timeout=30)
    finally:
        badge.stop()
    body = await fleet_process.get(item["audio"].lstrip("/"))
    check_local_copy(badge, {item["rec_id"]: body})
    assert item["sha256"] == hashlib.sha256(body).hexdigest()


@SQLITE_ONLY
async def test_full_storage_stops_recording_and_evicts_only_acknowledged(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    """A small card fills up: recording stops with `storage_low` (nothing unacknowledged is
    evicted); once the fleet has acknowledged the recordings, the next worn session evicts the
    oldest acknowledged ones and records again."""
    await register(DeviceSpec(DEV, "badge", "st-1"))
    cfg = devices.badge_config(DEV, "st-1", "127.0.0.1", broker.config.port, tele_interval_s=1)
    cfg["rec"] = {"codec": "pcm16", "min_free_kb": 256}
    flash = flashimage.write({"config.json": json.dumps(cfg).encode()}, tmp_path / "flash.img")
    shift = [("desk_up", 2.0), ("still", 40.0), ("desk_up", 30.0), ("still", 20.0),
             ("desk_up", 12.0)]  # fmt: skip
    world = scenario.build(tmp_path / "world", shift, None, speed=5.0, seed=7, storage_kb=700,
                           extra={"timeline": [[0, {"charging": False}], [50, {"charging": True}],
                                               [90, {"charging": False}]]})  # fmt: skip
    log = tmp_path / "badge.log"
    proc = procs.spawn(
        devices.badge_command(scenario=world.path, flash=flash), log, micropython_env()
    )
    badge = Badge(proc, world, flash, log)
    try:
        (low,) = await eventually(lambda: events("storage_low"), timeout=30)
        assert low["pending"] >= 1 and low["free_kb"] < 256

        async def second_session_recording() -> list[dict[str, Any]]:
            starts = await events("rec_start")
            return starts if len(starts) >= 2 and starts[-1]["t_ms"] > 72000 else []

        starts = await eventually(second_session_recording, timeout=60)
    finally:
        badge.stop()
    stored = {r.rec_id: r for r in await Recording.filter(device_id=DEV)}
    first_session = [s["rec"] for s in starts if s["t_ms"] < 42000]
    assert first_session and set(first_session) <= set(stored)  # all of it reached the fleet
    evicted = [r for r in first_session if not (badge.sd / f"{r}.wav").exists()]
    assert evicted, "the second session should have evicted acknowledged recordings"
    for rec_id in first_session:
        assert not (badge.sd / f"{rec_id}.json").exists()  # none left unacknowledged
    text = log.read_text()
    assert "MemoryError" not in text and "Traceback" not in text, text
