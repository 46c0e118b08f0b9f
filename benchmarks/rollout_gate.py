"""Issue 19's rollout goal: 200 simulated badges (196 light ones and 4 running the real
firmware in the MicroPython unix port), one fleet, a real Mosquitto.

A. A signed release rolled out in 3 waves (5%, 25%, 100%) completes: every badge runs it.
B. A release that makes badges reboot twice an hour: the health gate (updated devices against
   the target's not-yet-updated ones) pauses it before its second wave. Printed: the time from
   the regression's start (the first badge running the release) to the pause.

Time is compressed by --speed (default 60): a badge of release B reboots every 1800/speed s on
average and the gate's window and minimum device-hours are divided by the same factor, so the
statistics see what they would in real time; the time to pause is printed in wall seconds and
scaled back to real time.

    .venv/bin/python benchmarks/rollout_gate.py [--speed 60] [--light 196] [--real 4]
"""

import argparse
import asyncio
import json
import shutil
import time
from datetime import datetime
from typing import Any

import aiohttp
from common import broker, tmpdir

from crmsensor import release_keys as rk
from devtools.fwtools.bundle import app_bundle
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices
from devtools.sim.light_badge import Behaviour, fleet_of, run_badges
from devtools.sim.power import Rebooting
from fleet.app import start_app
from fleet.db import sqlite_url
from fleet.devices.registry import DeviceSpec, register
from fleet.office import accounts
from fleet.settings import FleetSettings, UpdateSettings
from fleet.state import LINK, OBJECTS
from fleet.updates import releases
from fleet.updates.models import DeviceUpdate

PASS = b"benchmark passphrase"
HW = "badge-r1"


async def _api(url: str, token: str, method: str, path: str, body: Any = None) -> Any:
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http,
        http.request(method, url + path, json=body) as r,
    ):
        data = await r.json()
        if r.status >= 400:
            raise SystemExit(f"{method} {path}: {r.status} {data}")
        return data


async def _wait(url: str, token: str, rollout: int, states: tuple[str, ...], limit_s: float) -> Any:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        r = await _api(url, token, "GET", f"api/v1/rollouts/{rollout}")
        if r["state"] in states:
            return r
        await asyncio.sleep(0.5)
    raise SystemExit(f"rollout {rollout} did not reach {states} in {limit_s:.0f} s: {r['state']}")


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed", type=float, default=60.0, help="time compression (default 60)")
    ap.add_argument("--light", type=int, default=196, help="light badges (default 196)")
    ap.add_argument("--real", type=int, default=4, help="real-firmware badges (default 4)")
    opts = ap.parse_args()
    work = tmpdir()
    key = rk.new_key(work / "release.pem", PASS)
    trusted = work / "trusted_keys.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    signed = {}
    for version in ("0.2.0", "0.3.0"):
        bundle = work / f"app-{version}.tar"
        bundle.write_bytes(app_bundle(version, "x64", trusted))
        signed[version] = (bundle, *rk.sign_release(bundle, key, version=version,
                                                    kind="badge-app", hw=[HW]))  # fmt: skip
    reboot_s = 1800 / opts.speed  # twice an hour, compressed
    gate = {"window_s": 6 * 3600 / opts.speed, "min_hours": 1.0 / opts.speed}
    async with broker(work) as mqtt:
        settings = FleetSettings(
            db_url=sqlite_url(str(work / "fleet.sqlite3")), broker_port=mqtt.config.port,
            http_port=0, objects_dir=work / "objects", client_id="fleet-bench",
            updates=UpdateSettings(str(trusted)), rollout_s=1.0, sweep_s=1.0,
        )  # fmt: skip
        runner, app, url = await start_app(settings)
        await asyncio.wait_for(app[LINK].connected.wait(), 10)
        admin = await accounts.add_user("bench", None, [accounts.GrantSpec("admin")])
        token = await accounts.create_token(admin, "bench")
        keys = releases.trusted_keys(str(trusted))
        ids = {}
        for version, (bundle, body, sig) in signed.items():
            r = await releases.store_release(app[OBJECTS], keys, body, sig, bundle, "bench")
            ids[version] = r.id
        light = fleet_of(opts.light, mqtt.config.port, tele_s=10.0,
                         behaviours={"0.3.0": Behaviour(reboot_every_s=reboot_s)})  # fmt: skip
        for b in light:
            await register(DeviceSpec(b.device_id, "badge", "st-1", HW, ["light"]))
        real = []
        for i in range(opts.real):
            dev = f"fw-{i:04d}"
            await register(DeviceSpec(dev, "badge", "st-1", HW))
            root = work / dev
            cfg = devices.badge_config(dev, "st-1", "127.0.0.1", mqtt.config.port,
                                       tele_interval_s=10, keepalive_s=30)  # fmt: skip
            config = devices.write_config(root / "config.json", cfg)
            shutil.copy(trusted, root / "trusted_keys.json")
            scenario = devices.idle_scenario(root / "world", charging=True)
            real.append(Rebooting(devices.badge_command(config, scenario), root / "badge.log",
                                  micropython_env()).start())  # fmt: skip
        stop = asyncio.Event()
        light_task = asyncio.create_task(run_badges(light, stop))
        try:
            deadline = time.monotonic() + 60
            while True:
                page = await _api(url, token, "GET", "api/v1/devices?limit=1000")
                online = sum(1 for d in page["items"] if d["online"])
                if online == opts.light + opts.real or time.monotonic() > deadline:
                    break
                await asyncio.sleep(1)
            print(f"{online} of {opts.light + opts.real} badges online "
                  f"({opts.real} on the real firmware)")  # fmt: skip

            # A: a good release in 3 waves
            t0 = time.monotonic()
            waves = [{"pct": 5}, {"pct": 25}, {"pct": 100}]
            a = await _api(url, token, "POST", "api/v1/rollouts", {
                "name": "A", "release": ids["0.2.0"], "waves": waves, "wave_gap_s": 5,
                "success_pct": 95, "error_pct": 10, "window": {"charging": True},
                "gate": gate})  # fmt: skip
            done = await _wait(url, token, a["id"], ("completed", "paused"), 600)
            took = time.monotonic() - t0
            on = sum(1 for d in done["devices"] if d["fw"] == "0.2.0")
            real_on = sum(
                1 for d in done["devices"] if d["id"].startswith("fw-") and d["fw"] == "0.2.0"
            )
            print(f"A: {done['state']} in {took:.1f} s; {on} of {len(done['devices'])} badges run "
                  f"0.2.0 ({real_on} of {opts.real} real-firmware); "
                  f"waves {[w['devices'] for w in done['wave_detail']]}")  # fmt: skip
            if done["state"] != "completed":
                print(f"A paused: {done['reason']}")

            # B: a release that reboots badges twice an hour (light badges only: tag "light")
            b = await _api(url, token, "POST", "api/v1/rollouts", {
                "name": "B", "release": ids["0.3.0"], "target": {"tags": ["light"]},
                "waves": waves, "wave_gap_s": int(4 * 3600 / opts.speed),
                "success_pct": 80, "error_pct": 20, "gate": gate})  # fmt: skip
            paused = await _wait(url, token, b["id"], ("paused", "completed"), 900)
            first = await DeviceUpdate.filter(rollout_id=b["id"], state="healthy").order_by(
                "finished_at").first()  # fmt: skip
            paused_at = datetime.fromisoformat(
                [e["at"] for e in paused["log"] if e["text"].startswith("paused")][-1]
            )
            start = first.finished_at if first else None
            lag = (paused_at - start).total_seconds() if start else float("nan")
            h = paused["health"]
            f = next(x for x in h["findings"] if x["metric"] == "reboots/h")
            u, c = h["updated"], h["control"]
            print(f"B: {paused['state']} in wave {paused['wave']} of 3: {paused['reason']}")
            print(f"   updated {u['devices']} badges, {u['reboots']} reboots in "
                  f"{u['hours']:.3f} device-h; not updated {c['devices']}, "
                  f"{c['reboots']} in {c['hours']:.3f} device-h; "
                  f"ratio {f['ratio']}, p {f['p']}")  # fmt: skip
            print("\n=== summary")
            print(f"A: 3 waves over {opts.light + opts.real} badges ({opts.real} real firmware): "
                  f"{done['state']}, {on} updated, {took:.1f} s")  # fmt: skip
            before_2 = paused["state"] == "paused" and paused["wave"] == 1
            print(f"B: paused before wave 2: {before_2}; "
                  f"regression start -> pause {lag:.1f} s wall = {lag * opts.speed / 60:.1f} min "
                  f"at real rate (x{opts.speed:g})")  # fmt: skip
        finally:
            stop.set()
            await asyncio.gather(light_task, return_exceptions=True)
            for r in real:
                r.stop()
            await runner.cleanup()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
