"""An update end to end: the fleet as its own process, a real Mosquitto, the real badge firmware
in the MicroPython unix port (booted again when it resets itself). Signed releases uploaded to
the fleet, told to the badge, downloaded (resuming a cut download), checked, applied, kept when
healthy and rolled back when not; a corrupted or truncated download and a tampered signature
refused by the badge, which keeps running its version; the recording open during the update
uploaded after it."""

import json
import re
import shutil
import sqlite3
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
from fleet.updates import cohorts
from tests.conftest import FleetProcess, eventually

DEV = "badge-0201"
HW = "badge-r1"
PASS = b"correct horse battery"


FLAKY = """    def _flaky(self):
        async def later():
            while self.uplink is None or not self.uplink.connected():
                await asyncio.sleep_ms(100)
            await asyncio.sleep(5)  # (its health check passed when the link came up)
            self.reboot_now()

        return asyncio.create_task(later())

    def reboot_now(self):"""


def _patched(source: Path, dest: Path, path: str, pattern: str, replacement: str) -> Path:
    """A copy of the firmware with one change (a release that misbehaves on purpose)."""
    shutil.copytree(source, dest)
    target = dest / path
    text, n = re.subn(pattern, replacement, target.read_text(), flags=re.M)
    assert n == 1, (path, pattern)
    target.write_text(text)
    return dest


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A release key the fleet and the badge trust, and signed releases of the real firmware:
    0.2.0 and 0.2.1; 0.3.0, whose health check cannot pass; 0.4.0, which passes it and then
    reboots the badge every few seconds."""
    tmp_path = tmp_path_factory.mktemp("kit")
    key = rk.new_key(tmp_path / "release.pem", PASS)
    trusted = tmp_path / "trusted_keys.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    broken = _patched(FIRMWARE_DIR, tmp_path / "fw-broken", "crms/health.py",
                      r"^HEAP_FLOOR = .*$", "HEAP_FLOOR = 64 * 1024 * 1024")  # fmt: skip
    # 0.4.0: every boot reboots the badge 5 s after its link is up (its health check passed)
    flaky = _patched(FIRMWARE_DIR, tmp_path / "fw-flaky", "crms/app.py",
                     r"^    def reboot_now\(self\):$", FLAKY)  # fmt: skip
    app_py = flaky / "crms" / "app.py"
    started = "        await self._stop.wait()\n"
    assert app_py.read_text().count(started) == 1
    app_py.write_text(app_py.read_text().replace(started, "        self._flaky()\n" + started))
    out: dict[str, Any] = {"trusted": trusted}
    for version, source in (("0.2.0", FIRMWARE_DIR), ("0.2.1", FIRMWARE_DIR), ("0.3.0", broken),
                            ("0.4.0", flaky)):  # fmt: skip
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


async def test_rollouts_on_real_firmware_badges(
    fleet_proc: FleetProcess, broker: MosquittoProcess, tmp_path: Path, kit: dict[str, Any]
) -> None:
    """Two waves reach every online badge and the one that was away once it returns; a
    release failing its health check is rolled back on the badges and pauses its rollout by
    the error threshold; one that passes its check but keeps rebooting is paused by the
    health gate, against the badges not updated yet."""
    fleet = fleet_proc
    names = [f"badge-03{i:02d}" for i in range(4)]
    for dev in names:
        status, _ = await _call(fleet, "POST", "api/v1/devices", json={
            "id": dev, "kind": "badge", "station": "st-1", "hw": HW})  # fmt: skip
        assert status in (200, 201)
    ids = {v: await _upload(fleet, kit[v]) for v in ("0.2.0", "0.3.0", "0.4.0")}
    running: dict[str, Rebooting] = {}

    def power_on(dev: str) -> None:
        root = tmp_path / dev
        cfg = devices.badge_config(dev, "st-1", "127.0.0.1", broker.config.port,
                                   tele_interval_s=1, keepalive_s=10)  # fmt: skip
        config = devices.write_config(root / "config.json", cfg)
        (root / "trusted_keys.json").write_text(kit["trusted"].read_text())
        scenario = devices.idle_scenario(root / "world", charging=True)
        running[dev] = Rebooting(devices.badge_command(config, scenario), root / "badge.log",
                                 micropython_env()).start()  # fmt: skip

    async def rollout(release: int, **kw: Any) -> int:
        body = {"name": f"r{release}", "release": release, "waves": [{"count": 2}, {"pct": 100}],
                "wave_gap_s": 0, "success_pct": 100, "error_pct": 50,
                "window": {"charging": True}, **kw}  # fmt: skip
        status, r = await _call(fleet, "POST", "api/v1/rollouts", json=body)
        assert status == 201, r
        return int(r["id"])

    async def until(rollout_id: int, *states: str, timeout: float = 90) -> dict[str, Any]:
        async def reached() -> dict[str, Any] | None:
            _, r = await _call(fleet, "GET", f"api/v1/rollouts/{rollout_id}")
            return r if r["state"] in states else None

        result: dict[str, Any] = await eventually(reached, timeout=timeout, every=0.5)
        return result

    order = sorted(names, key=lambda d: (cohorts.rank(d), d))
    away = order[-1]  # in the second wave
    try:
        for dev in order[:-1]:
            power_on(dev)

        async def online(n: int) -> bool:
            _, page = await _call(fleet, "GET", "api/v1/devices?limit=100")
            return sum(1 for d in page["items"] if d["online"] and d["tele"]) == n

        await eventually(lambda: online(3), timeout=30)
        good = await rollout(ids["0.2.0"])

        async def wave_two_waiting() -> bool:
            _, r = await _call(fleet, "GET", f"api/v1/rollouts/{good}")
            told = {d["id"] for d in r["devices"] if d["state"] == "healthy"}
            return r["wave"] == 2 and told == set(order[:-1])

        await eventually(wave_two_waiting, timeout=90)
        power_on(away)  # back: told, updated, the rollout completes
        done = await until(good, "completed")
        assert {d["fw"] for d in done["devices"]} == {"0.2.0"}

        failing = await until(await rollout(ids["0.3.0"]), "paused")
        assert re.fullmatch(r"wave 1: [12] of 2 devices failed, the error threshold is 50%",
                            failing["reason"]), failing["reason"]  # fmt: skip

        async def both_rolled_back() -> dict[str, Any] | None:
            _, r = await _call(fleet, "GET", f"api/v1/rollouts/{failing['id']}")
            states = {d["state"] for d in r["devices"] if d["id"] in order[:2]}
            return r if states == {"rolled_back"} else None

        failing = await eventually(both_rolled_back, timeout=60)
        assert {d["fw"] for d in failing["devices"]} == {"0.2.0"}  # the old version runs
        assert failing["wave"] == 1  # the second wave was never told
        await _call(fleet, "POST", f"api/v1/rollouts/{failing['id']}/action",
                    json={"action": "abort"})  # fmt: skip

        gate = {"min_hours": 0.002, "window_s": 600, "min_events": 3}
        flaky = await until(await rollout(ids["0.4.0"], gate=gate, wave_gap_s=3600,
                                          success_pct=50), "paused", timeout=120)  # fmt: skip
        assert flaky["reason"].startswith("health gate: updated devices worse: reboots/h"), flaky
        assert flaky["wave"] == 1
        assert (flaky["health"]["updated"]["devices"], flaky["health"]["control"]["devices"]) == (
            2,
            2,
        )
    finally:
        for badge in running.values():
            badge.stop()
