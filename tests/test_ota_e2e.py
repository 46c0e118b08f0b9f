"""An update end to end: the fleet as its own process, a real Mosquitto, the real badge firmware
in the MicroPython unix port (booted again when it resets itself). Signed releases uploaded to
the fleet, told to the badge, downloaded (resuming a cut download), checked, applied, kept when
healthy and rolled back when not; a corrupted or truncated download and a tampered signature
refused by the badge, which keeps running its version; the recording open during the update
uploaded after it."""

import json
import re
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from crmsensor import release_keys as rk
from devtools.broker import MosquittoProcess
from devtools.fwtools.bundle import app_bundle
from devtools.fwtools.runner import micropython_env
from devtools.paths import FIRMWARE_DIR
from devtools.sim import devices
from devtools.sim.power import Rebooting
from tests.conftest import FleetProcess, eventually

DEV = "badge-0201"
HW = "badge-r1"
PASS = b"correct horse battery"


@pytest.fixture
def kit(tmp_path: Path) -> dict[str, Any]:
    """A release key the fleet and the badge trust, and three signed releases of the real
    firmware: 0.2.0 and 0.2.1, and 0.3.0, whose health check cannot pass."""
    key = rk.new_key(tmp_path / "release.pem", PASS)
    trusted = tmp_path / "trusted_keys.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    broken = tmp_path / "firmware-broken"
    subprocess.run(["cp", "-r", str(FIRMWARE_DIR), str(broken)], check=True)
    health = broken / "crms" / "health.py"
    text, n = re.subn(r"^HEAP_FLOOR = .*$", "HEAP_FLOOR = 64 * 1024 * 1024", health.read_text(),
                      flags=re.M)  # fmt: skip
    assert n == 1
    health.write_text(text)
    out: dict[str, Any] = {"trusted": trusted}
    for version, source in (("0.2.0", FIRMWARE_DIR), ("0.2.1", FIRMWARE_DIR), ("0.3.0", broken)):
        bundle = tmp_path / f"app-{version}.tar"
        bundle.write_bytes(app_bundle(version, "x64", trusted, firmware_dir=source))
        body, sig = rk.sign_release(bundle, key, version=version, kind="badge-app", hw=[HW],
                                    min_version="0.1.0")  # fmt: skip
        out[version] = {"bundle": bundle, "manifest": body, "sig": sig}
    return out


@pytest.fixture
async def fleet_proc(
    broker: MosquittoProcess, tmp_path: Path, kit: dict[str, Any]
) -> AsyncIterator[FleetProcess]:
    config = tmp_path / "fleet.toml"
    config.write_text(f'[updates]\ntrusted_keys = "{kit["trusted"]}"\n')
    fp = FleetProcess(tmp_path / "fleet", broker.config.port, config=config)
    fp.workdir.mkdir()
    await fp.start()
    yield fp
    fp.stop()


async def _call(fleet: FleetProcess, method: str, path: str, **kw: Any) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.request(method, fleet.url + path, **kw) as r,
    ):
        return r.status, await r.json()


async def _upload(fleet: FleetProcess, release: dict[str, Any]) -> int:
    form = aiohttp.FormData()
    form.add_field("manifest", release["manifest"].decode())
    form.add_field("signature", release["sig"])
    form.add_field("bundle", release["bundle"].read_bytes(), filename="app.tar")
    status, body = await _call(fleet, "POST", "api/v1/releases", data=form)
    assert status == 201, body
    return int(body["id"])


async def _update(fleet: FleetProcess, release_id: int) -> int:
    status, body = await _call(
        fleet, "POST", f"api/v1/devices/{DEV}/update", json={"release": release_id}
    )
    assert status == 201, body
    return int(body["id"])


async def _outcome(fleet: FleetProcess, update_id: int, timeout: float = 60) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        _, page = await _call(fleet, "GET", f"api/v1/updates?device={DEV}")
        (row,) = [u for u in page["items"] if u["id"] == update_id]
        return row if row["state"] in ("healthy", "rolled_back", "error", "failed") else None

    result: dict[str, Any] = await eventually(done, timeout=timeout, every=0.3)
    return result


async def _fw(fleet: FleetProcess) -> str:
    _, device = await _call(fleet, "GET", f"api/v1/devices/{DEV}")
    return str(device["fw"])


async def _ota_events(fleet: FleetProcess) -> list[dict[str, Any]]:
    _, page = await _call(fleet, "GET", f"api/v1/devices/{DEV}/events?type=ota&limit=200")
    return [e["data"] for e in reversed(page["items"])]


def _object(fleet: FleetProcess, release: dict[str, Any]) -> Path:
    sha = hashlib_of(release["bundle"])
    (path,) = (fleet.workdir / "objects" / "releases").rglob(f"*-{sha[:16]}.bin")
    return path


def hashlib_of(path: Path) -> str:
    return rk.digest_file(path)[0].hex()


async def test_a_signed_update_lands_and_bad_ones_are_refused_or_rolled_back(
    fleet_proc: FleetProcess, broker: MosquittoProcess, tmp_path: Path, kit: dict[str, Any]
) -> None:
    fleet = fleet_proc
    status, _ = await _call(fleet, "POST", "api/v1/devices", json={
        "id": DEV, "kind": "badge", "station": "st-1", "hw": HW})  # fmt: skip
    assert status in (200, 201)
    ids = {v: await _upload(fleet, kit[v]) for v in ("0.2.0", "0.2.1", "0.3.0")}

    root = tmp_path / "badge"
    cfg = devices.badge_config(DEV, "st-1", "127.0.0.1", broker.config.port, tele_interval_s=1,
                               keepalive_s=10)  # fmt: skip
    config = devices.write_config(root / "config.json", cfg)
    (root / "trusted_keys.json").write_text(kit["trusted"].read_text())  # as flashed at the bench
    scenario = devices.idle_scenario(tmp_path / "world", charging=True)
    badge = Rebooting(devices.badge_command(config, scenario), tmp_path / "badge.log",
                      micropython_env()).start()  # fmt: skip
    try:
        await eventually(lambda: _fw(fleet), timeout=30)
        assert await _fw(fleet) == "0.1.0"

        # A corrupted copy in the fleet's store (same size, other bytes): refused on the badge
        good = _object(fleet, kit["0.2.0"])
        original = good.read_bytes()
        good.write_bytes(original[:100] + bytes([original[100] ^ 0xFF]) + original[101:])
        row = await _outcome(fleet, await _update(fleet, ids["0.2.0"]))
        assert (row["state"], row["reason"]) == (
            "error",
            "bundle SHA-256 differs from the release's",
        )
        # A truncated copy: the server's length is not the release's; refused
        good.write_bytes(original[:-5000])
        row = await _outcome(fleet, await _update(fleet, ids["0.2.0"]))
        assert row["state"] == "error" and "download failed" in row["reason"]
        assert await _fw(fleet) == "0.1.0" and badge.boots == 1

        # The good copy, with half of it downloaded before the power went (ota_<sha>.part):
        # the badge resumes from there. A recording is open while it updates.
        good.write_bytes(original)
        part = root / f"ota_{hashlib_of(kit['0.2.0']['bundle'])[:16]}.part"
        part.write_bytes(original[: len(original) // 2])
        status, _ = await _call(fleet, "POST", f"api/v1/devices/{DEV}/commands",
                                  json={"op": "rec_start"})  # fmt: skip
        assert status == 201
        sd = tmp_path / "world" / "sd"  # the badge's SD card: the recording is being written
        await eventually(lambda: sd.exists() and any(sd.glob("r-*.part")))
        first = len(await _ota_events(fleet))
        row = await _outcome(fleet, await _update(fleet, ids["0.2.0"]))
        assert row["state"] == "healthy", row
        await eventually(lambda: _fw_is(fleet, "0.2.0"))
        assert badge.boots == 2
        states = [e["state"] for e in (await _ota_events(fleet))[first:]]
        pcts = [
            e.get("pct") for e in (await _ota_events(fleet))[first:] if e["state"] == "downloading"
        ]
        assert states[-5:] == ["downloading", "verifying", "applying", "rebooting", "healthy"][-5:]
        assert pcts[0] >= 50, pcts  # resumed at half, not from the start

        async def uploaded() -> bool:
            _, recs = await _call(fleet, "GET", f"api/v1/recordings?device={DEV}")
            return bool(recs["items"])

        await eventually(uploaded, timeout=30)  # the recording cut by the reboot is kept

        # A release whose health check fails: tried once, rolled back on the badge
        row = await _outcome(fleet, await _update(fleet, ids["0.3.0"]), timeout=90)
        assert row["state"] == "rolled_back", row
        await eventually(lambda: _fw_is(fleet, "0.2.0"))
        assert row["reason"].startswith("health: heap"), row
        assert badge.boots == 4  # into the trial, then back

        # A tampered signature (the command altered while the badge was away): refused
        badge.stop()
        update_id = await _update(fleet, ids["0.2.1"])
        db = sqlite3.connect(fleet.workdir / "fleet.sqlite3")
        (args,) = db.execute("SELECT c.args FROM command c JOIN device_update u ON u.command_id"
                             " = c.id WHERE u.id = ?", (update_id,)).fetchone()  # fmt: skip
        args = json.loads(args)
        args["sig"] = ("0" if args["sig"][0] != "0" else "1") + args["sig"][1:]
        db.execute("UPDATE command SET args = ? WHERE op = 'ota' AND state = 'queued'",
                   (json.dumps(args),))  # fmt: skip
        db.commit()
        db.close()
        badge = Rebooting(devices.badge_command(config, scenario), tmp_path / "badge.log",
                          micropython_env()).start()  # fmt: skip
        row = await _outcome(fleet, update_id)  # sent when the badge came back
        assert (row["state"], row["reason"]) == ("error", "bad signature")
        assert await _fw(fleet) == "0.2.0"
    finally:
        badge.stop()


async def _fw_is(fleet: FleetProcess, version: str) -> bool:
    return await _fw(fleet) == version
