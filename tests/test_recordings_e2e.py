"""Recordings through a real Mosquitto: faults on the way, a fleet killed mid-upload, a lying
manifest. Every recording is stored byte-identical, exactly once, or not at all."""

import asyncio
import hashlib
import os
from pathlib import Path

import aiohttp

from devtools.broker import MosquittoProcess
from devtools.sim.uploader import Faults, upload
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording, Upload, UploadChunk
from tests.conftest import FleetProcess, RunningFleet, eventually

DEV = "badge-0101"


async def _download(
    fleet: RunningFleet, url: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict]:
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.get(url, headers=headers) as r,
    ):
        return r.status, await r.read(), dict(r.headers)


async def test_faulty_upload_is_stored_once_and_byte_identical(
    fleet: RunningFleet, broker: MosquittoProcess
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    data = os.urandom(300_000)  # 37 chunks of 8 KiB, the last one short
    faults = Faults(duplicate=0.3, lose=0.15, reorder=True, disconnect_every=11, seed=7)
    result = await upload("127.0.0.1", broker.config.port, DEV, "r-1", data, faults=faults)
    assert result.complete, result
    assert result.reconnects >= 2 and result.rounds >= 2  # the faults really happened

    # Sending it again (a device that missed the final ack) changes nothing.
    again = await upload("127.0.0.1", broker.config.port, DEV, "r-1", data)
    assert again.complete

    (rec,) = await Recording.filter(device_id=DEV)
    assert rec.size == len(data) and rec.sha256 == hashlib.sha256(data).hexdigest()
    assert rec.station_id == "st-1"  # type: ignore[attr-defined]
    assert await Upload.all().count() == 0 and await UploadChunk.all().count() == 0
    assert fleet.ingest.stats.ignored["duplicate_chunk"] > 0

    audio = f"{fleet.url}api/v1/recordings/{rec.id}/audio"
    status, body, headers = await _download(fleet, audio)
    assert status == 200 and body == data and headers["Accept-Ranges"] == "bytes"
    status, body, headers = await _download(fleet, audio, {"Range": "bytes=1000-1999"})
    assert status == 206 and body == data[1000:2000]
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    status, body, _ = await _download(fleet, audio, {"Range": "bytes=-10"})
    assert status == 206 and body == data[-10:]
    status, _, headers = await _download(fleet, audio, {"Range": f"bytes={len(data)}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"

    # Random bytes are no WAV: the enhanced copy is refused with the reason, the original kept.
    await eventually(lambda: Recording.filter(id=rec.id, enhance_error__not_isnull=True))
    status, body, _ = await _download(fleet, f"{fleet.url}api/v1/recordings/{rec.id}/enhanced")
    assert status == 404 and b"not a RIFF/WAVE file" in body
    assert (await _download(fleet, audio))[1] == data


async def test_manifest_with_wrong_hash_stores_nothing(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    data = os.urandom(50_000)
    result = await upload(
        "127.0.0.1",
        broker.config.port,
        DEV,
        "r-bad",
        data,
        manifest_extra={"sha256": "0" * 64},
        timeout_s=8,
    )
    assert not result.complete and "sha256_mismatch" in result.errors
    assert await Recording.filter(device_id=DEV).count() == 0
    assert fleet.ingest.stats.rejected["sha256_mismatch"] >= 1
    # Nothing half-written is left in the object folder.
    objects = tmp_path / "objects"
    assert not [p for p in objects.rglob("*") if p.is_file()]


async def test_fleet_killed_mid_upload_loses_nothing(
    fleet_process: FleetProcess, broker: MosquittoProcess
) -> None:
    await fleet_process.post("api/v1/devices", {"id": DEV, "kind": "badge", "station": "st-1"})
    data = os.urandom(1_500_000)  # 184 chunks
    faults = Faults(duplicate=0.1, reorder=True, disconnect_every=60, seed=3)
    job = asyncio.create_task(
        upload("127.0.0.1", broker.config.port, DEV, "r-kill", data, faults=faults, ack_wait_s=2)
    )

    async def some_staged() -> bool:
        text = (await fleet_process.get("metrics")).decode()
        line = [x for x in text.splitlines() if x.startswith("crms_ingest_written_total")]
        return bool(line) and float(line[0].split()[-1]) >= 20

    await eventually(some_staged, timeout=30)
    fleet_process.kill()  # mid-upload: chunks staged, some acked, more in flight
    await asyncio.sleep(1.0)
    await fleet_process.start()

    result = await asyncio.wait_for(job, 120)
    assert result.complete, (result, fleet_process.log())
    page = await fleet_process.get(f"api/v1/recordings?device={DEV}")
    (rec,) = page["items"]
    assert rec["sha256"] == hashlib.sha256(data).hexdigest() and rec["size"] == len(data)
    body = await fleet_process.get(rec["audio"].lstrip("/"))
    assert body == data


async def test_a_kiosk_session_finds_its_parts_and_its_pre_roll(
    fleet: RunningFleet, broker: MosquittoProcess
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    port = broker.config.port
    parts = {
        "r-before": {"preroll_session": "s-0000abcd-1", "preroll_ms": 4500},
        "r-inside": {"kiosk_session": "s-0000abcd-1"},
        "r-other": {"kiosk_session": "s-0000abcd-2"},
    }
    for rec_id, extra in parts.items():
        result = await upload(
            "127.0.0.1", port, DEV, rec_id, os.urandom(3000), manifest_extra=extra
        )
        assert result.complete, result
    # half a pre-roll is refused as a whole: no recording, and the reason counted
    half = await upload(
        "127.0.0.1", port, DEV, "r-half", os.urandom(3000),
        manifest_extra={"preroll_session": "s-0000abcd-1"}, timeout_s=3,
    )  # fmt: skip
    assert not half.complete
    assert await Recording.filter(rec_id="r-half").count() == 0
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.get(f"{fleet.url}api/v1/recordings?kiosk_session=s-0000abcd-1") as r,
    ):
        assert r.status == 200
        found = {v["rec_id"]: v for v in (await r.json())["items"]}
    assert sorted(found) == ["r-before", "r-inside"]
    assert found["r-before"]["preroll"] == {"session": "s-0000abcd-1", "ms": 4500}
    assert found["r-inside"]["preroll"] is None
    assert found["r-inside"]["kiosk_session"] == "s-0000abcd-1"
