"""Rollouts against light simulated badges on a real Mosquitto: waves over stable cohorts,
the offline device updated when it returns, the error threshold, the health gate against
the not-yet-updated devices, pause/resume/abort/roll back, and a fleet restarted mid-wave
that neither re-sends nor forgets. Plus the pure parts: cohorts and the gate's statistics."""

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from crmsensor import release_keys as rk
from devtools.broker import MosquittoProcess
from devtools.sim.light_badge import Behaviour, LightBadge, fleet_of, run_badges
from fleet.devices.registry import DeviceSpec, register
from fleet.settings import UpdateSettings
from fleet.state import OBJECTS
from fleet.updates import cohorts, health_gate, releases
from fleet.updates.models import DeviceUpdate
from tests.conftest import RunningFleet, _fleet_settings, eventually, running_fleet

PASS = b"correct horse battery"


def test_cohorts_are_stable_and_waves_cumulative() -> None:
    ids = [f"badge-{i:04d}" for i in range(200)]
    order = cohorts.ordered(ids)
    assert order == cohorts.ordered(list(reversed(ids)))  # the order is the hash's, not input's
    sizes = cohorts.wave_sizes([{"pct": 5}, {"count": 50}, {"pct": 100}], 200)
    assert sizes == [10, 50, 200]
    first = set(order[:10])
    grown = cohorts.ordered([*ids, "badge-9999"])  # a device added later does not reshuffle
    assert len(first & set(grown[:11])) >= 10
    # a wave under the one before holds as many; a last wave under 100% ends there
    assert cohorts.wave_sizes([{"pct": 50}, {"count": 3}, {"pct": 60}], 10) == [5, 5, 6]


def test_the_gate_flags_a_real_regression_and_not_noise() -> None:
    def cohort(n: int, hours: float, reboots: int, offline: int = 0) -> health_gate.Cohort:
        return health_gate.Cohort(devices=n, hours=hours, reboots=reboots, offline=offline)

    # twice an hour against once a day: flagged
    worse = health_gate.compare(cohort(10, 10, 20), cohort(190, 190, 8))
    assert worse["regressed"] == ["reboots/h"]
    (f,) = [f for f in worse["findings"] if f["metric"] == "reboots/h"]
    assert f["p"] < 1e-6 and f["ratio"] > 40
    # the same rate in both, or a small difference on few hours: not flagged
    assert health_gate.compare(cohort(10, 10, 1), cohort(190, 190, 19))["regressed"] == []
    assert health_gate.compare(cohort(10, 10, 2), cohort(190, 190, 19))["regressed"] == []
    assert health_gate.compare(cohort(10, 0.5, 5), cohort(190, 190, 1))["regressed"] == []
    # kiosks: camera errors and frame rate
    kiosks_u = health_gate.Cohort(
        devices=5, hours=5, camera_errors=40, fps=[3.1, 2.9, 3.0, 3.2, 2.8]
    )
    kiosks_c = health_gate.Cohort(devices=20, hours=20, camera_errors=4, fps=[10.0, 9.8, 10.1] * 6)
    assert health_gate.compare(kiosks_u, kiosks_c)["regressed"] == ["camera errors/h", "frame rate"]
    # badges recording far less (a broken recorder) and reporting errors: flagged
    quiet = health_gate.Cohort(
        devices=5, hours=5, errors=30, recorded=[0.05, 0.02, 0.0, 0.04, 0.01]
    )
    usual = health_gate.Cohort(devices=20, hours=20, errors=2, recorded=[0.5, 0.45, 0.55, 0.4] * 5)
    assert health_gate.compare(quiet, usual)["regressed"] == ["error events/h", "recorded h/h"]
    # most updated devices offline: flagged
    assert (
        "offline share"
        in health_gate.compare(cohort(10, 10, 0, 7), cohort(190, 190, 0, 5))["regressed"]
    )


@pytest.fixture
def signed(tmp_path: Path) -> dict[str, Any]:
    key = rk.new_key(tmp_path / "release.pem", PASS)
    trusted = tmp_path / "trusted.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    out: dict[str, Any] = {"trusted": trusted}
    for version in ("0.2.0", "0.3.0", "0.4.0"):
        bundle = tmp_path / f"app-{version}.tar"
        bundle.write_bytes(os.urandom(4000))
        out[version] = (bundle, *rk.sign_release(bundle, key, version=version, kind="badge-app",
                                                 hw=["badge-r1"]))  # fmt: skip
    return out


async def _store(fleet: RunningFleet, signed: dict[str, Any], version: str) -> int:
    bundle, body, sig = signed[version]
    keys = releases.trusted_keys(str(signed["trusted"]))
    release = await releases.store_release(fleet.app[OBJECTS], keys, body, sig, bundle, "tests")
    return int(release.id)


class Badges:
    """Light badges run in the test's loop; started and stopped one by one."""

    def __init__(self, badges: list[LightBadge]) -> None:
        self.badges = {b.device_id: b for b in badges}
        self.stops: dict[str, asyncio.Event] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, *ids: str) -> None:
        for i in ids or tuple(self.badges):
            self.stops[i] = asyncio.Event()
            self.tasks.append(asyncio.create_task(run_badges([self.badges[i]], self.stops[i])))

    async def stop(self, *ids: str) -> None:
        for i in ids or tuple(self.stops):
            self.stops[i].set()
        await asyncio.sleep(0.3)


@pytest.fixture
async def badges(broker: MosquittoProcess) -> AsyncIterator[Badges]:
    behaviours = {"0.3.0": Behaviour(healthy=False), "0.4.0": Behaviour(reboot_every_s=1.0)}
    b = Badges(fleet_of(10, broker.config.port, tele_s=1.0, behaviours=behaviours))
    yield b
    await b.stop()
    await asyncio.gather(*b.tasks, return_exceptions=True)


def _settings(broker: MosquittoProcess, tmp_path: Path, signed: dict[str, Any]) -> Any:
    return _fleet_settings(broker, tmp_path, updates=UpdateSettings(str(signed["trusted"])),
                           rollout_s=0.3, sweep_s=0.3)  # fmt: skip


async def _rollout(fleet: RunningFleet, release: int, **kw: Any) -> dict[str, Any]:
    body = {"name": f"r{release}", "release": release, "waves": [{"pct": 30}, {"pct": 100}],
            "wave_gap_s": 0, "success_pct": 100, "error_pct": 50, **kw}  # fmt: skip
    r: dict[str, Any] = await fleet.post("api/v1/rollouts", body)
    return r


async def _state(fleet: RunningFleet, rollout: int, *states: str, timeout: float = 30) -> Any:
    async def reached() -> Any:
        r = await fleet.get(f"api/v1/rollouts/{rollout}")
        return r if r["state"] in states else None

    return await eventually(reached, timeout=timeout, every=0.2)


async def test_a_rollout_in_two_waves_reaches_every_badge_including_one_that_was_away(
    broker: MosquittoProcess, tmp_path: Path, signed: dict[str, Any], badges: Badges
) -> None:
    async with running_fleet(_settings(broker, tmp_path, signed)) as fleet:
        for dev in badges.badges:
            await register(DeviceSpec(dev, "badge", "st-1", "badge-r1"))
        order = cohorts.ordered(list(badges.badges))
        away = order[-1]  # in the second wave
        badges.start(*[d for d in order if d != away])
        await eventually(lambda: _online(fleet, 9))
        release = await _store(fleet, signed, "0.2.0")
        r = await _rollout(fleet, release, window={"charging": True})
        mid = await _state(fleet, r["id"], "running")
        assert [w["devices"] for w in mid["wave_detail"]] == [3, 7]
        # the first wave is the first 3 in cohort order, then the rest; the away one waits
        await eventually(lambda: _updated(fleet, r["id"], 9), timeout=30)
        detail = await fleet.get(f"api/v1/rollouts/{r['id']}")
        assert detail["state"] == "running" and detail["wave"] == 2
        assert {d["id"] for d in detail["devices"] if d["state"] is None} == {away}
        badges.start(away)  # it comes back: told, updated, the rollout completes
        done = await _state(fleet, r["id"], "completed")
        assert all(d["fw"] == "0.2.0" for d in done["devices"])
        log = [e["text"] for e in done["log"]]
        assert any(t.startswith("wave 2 started: 10 of 10") for t in log), log
        assert await DeviceUpdate.filter(rollout_id=r["id"]).count() == 10  # each told once


async def test_the_error_threshold_and_the_health_gate_pause_a_rollout(
    broker: MosquittoProcess, tmp_path: Path, signed: dict[str, Any], badges: Badges
) -> None:
    async with running_fleet(_settings(broker, tmp_path, signed)) as fleet:
        for dev in badges.badges:
            await register(DeviceSpec(dev, "badge", "st-1", "badge-r1"))
        badges.start()
        await eventually(lambda: _online(fleet, 10))
        # A release whose health check fails: the first wave rolls back, the rollout pauses
        failing = await _rollout(fleet, await _store(fleet, signed, "0.3.0"))
        paused = await _state(fleet, failing["id"], "paused")
        assert paused["reason"] == "wave 1: 3 of 3 devices failed, the error threshold is 50%"
        assert paused["wave"] == 1 and all(d["fw"] == "0.1.0" for d in paused["devices"])
        await fleet.post(f"api/v1/rollouts/{failing['id']}/action", {"action": "abort"})

        # A release that passes its own check but reboots every second: the gate pauses it in
        # the first wave, comparing with the 7 devices not updated yet
        gate = {"min_hours": 0.002, "window_s": 600}
        rebooting = await _rollout(fleet, await _store(fleet, signed, "0.4.0"), gate=gate,
                                   wave_gap_s=3600, success_pct=60)  # fmt: skip
        paused = await _state(fleet, rebooting["id"], "paused", timeout=60)
        assert paused["reason"].startswith("health gate: updated devices worse: reboots/h"), paused
        h = paused["health"]
        assert h["updated"]["devices"] == 3 and h["control"]["devices"] == 7
        assert h["regressed"] == ["reboots/h"] and paused["wave"] == 1
        # resumed by hand, ignoring the gate; then rolled back to... no stored 0.1.0: refused
        async with (
            aiohttp.ClientSession(headers=fleet.auth) as http,
            http.post(
                fleet.url + f"api/v1/rollouts/{rebooting['id']}/action", json={"action": "rollback"}
            ) as resp,  # fmt: skip
        ):
            assert resp.status == 409
            assert "no usable stored release 0.1.0" in (await resp.json())["error"]
        resumed = await fleet.post(f"api/v1/rollouts/{rebooting['id']}/action",
                                   {"action": "resume", "ignore_gate": True})  # fmt: skip
        assert resumed["state"] == "running" and resumed["gate"]["off"] is True
        # the release is yanked mid-rollout: it pauses, naming why
        await fleet.post(f"api/v1/releases/{rebooting['release']}/yank", {"reason": "reboots"})
        paused = await _state(fleet, rebooting["id"], "paused")
        assert paused["reason"] == "release yanked: reboots"


async def test_a_fleet_restarted_mid_wave_goes_on_without_sending_twice(
    broker: MosquittoProcess, tmp_path: Path, signed: dict[str, Any], badges: Badges
) -> None:
    settings = _settings(broker, tmp_path, signed)
    async with running_fleet(settings) as fleet:
        for dev in badges.badges:
            await register(DeviceSpec(dev, "badge", "st-1", "badge-r1"))
        badges.start()
        await eventually(lambda: _online(fleet, 10))
        r = await _rollout(fleet, await _store(fleet, signed, "0.2.0"), wave_gap_s=4)
        await eventually(lambda: _updated(fleet, r["id"], 3))
        before = await fleet.get(f"api/v1/rollouts/{r['id']}")
        assert before["wave"] == 1
    # the fleet is down; the badges keep running
    async with running_fleet(settings) as fleet:
        done = await _state(fleet, r["id"], "completed", timeout=40)
        assert all(d["fw"] == "0.2.0" for d in done["devices"])
        rows = await DeviceUpdate.filter(rollout_id=r["id"]).values_list("device_id", flat=True)
        assert sorted(rows) == sorted(badges.badges)  # one update per device, across the restart
        assert sum(b.boots for b in badges.badges.values()) == 20  # each rebooted once


async def _online(fleet: RunningFleet, n: int) -> bool:
    page = await fleet.get("api/v1/devices?limit=100")
    return sum(1 for d in page["items"] if d["online"]) == n


async def _updated(fleet: RunningFleet, rollout: int, n: int) -> bool:
    r = await fleet.get(f"api/v1/rollouts/{rollout}")
    return sum(1 for d in r["devices"] if d["fw"] == "0.2.0") >= n


def test_maintenance_windows() -> None:
    from datetime import UTC, datetime

    from fleet.devices.models import Device
    from fleet.updates.rollouts import in_window

    on_charge = Device(id="b-1", kind="badge", last_tele={"charging": True})
    worn = Device(id="b-2", kind="badge", last_tele={"charging": False})
    kiosk = Device(id="k-1", kind="kiosk", last_tele={})
    night = {"hours": [22, 6], "tz": "Europe/Moscow"}  # UTC+3
    at_23_msk = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    at_noon_msk = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    assert in_window({"charging": True}, on_charge, at_noon_msk)
    assert not in_window({"charging": True}, worn, at_noon_msk)
    assert in_window({"charging": True}, kiosk, at_noon_msk)  # a kiosk has no charger
    assert in_window(night, kiosk, at_23_msk) and not in_window(night, kiosk, at_noon_msk)
    assert in_window({"hours": [9, 18], "tz": "UTC"}, kiosk, at_noon_msk)
    assert not in_window({**night, "charging": True}, worn, at_23_msk)
