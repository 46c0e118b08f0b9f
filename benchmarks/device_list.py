"""Device-list API latency with 10,000 registered devices.

A chain of 1,000 stations in 10 regions with 10,000 devices (8,500 badges, 1,500 kiosks), each
with a last telemetry record, 60% online, 5% with an open alert, 2% tagged ``pilot``. The
fleet manager runs as its own process (``crmsensor fleet serve``, SQLite by default) with a
real Mosquitto; this process sends the requests one after another and times each from send
to the last byte of the body. Query mixes: the first page, pages at random cursors, by station,
by region (a join), online only, alerting only (a subquery), a rare tag (a scan), and the
largest page (1,000 devices). Percentiles over every request, and per query.

    .venv/bin/python benchmarks/device_list.py [--devices 10000] [--requests 100] [--db URL]

Goal (issue 3): p95 under 100 ms with 10,000 devices.
"""

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime

import aiohttp
from common import broker, fleet_process, p95, tmpdir

from fleet.alerts.models import Alert
from fleet.db import close_db, open_db, sqlite_url
from fleet.devices.models import Device, DeviceTag
from fleet.hierarchy.models import Organisation, Region, Station
from fleet.office import accounts


async def seed(db_url: str, n_devices: int) -> list[str]:
    """Fill the database; return the device ids."""
    await open_db(db_url)
    try:
        org = await Organisation.create(name="Chain")
        regions = [await Region.create(organisation=org, name=f"R{i}") for i in range(10)]
        await Station.bulk_create(
            [
                Station(id=f"st-{i:04d}", name=f"Station {i}", region=regions[i % 10])
                for i in range(1000)
            ]
        )
        now = datetime.now(UTC)
        rng = random.Random(1)
        devices = []
        for i in range(n_devices):
            kiosk = i % 20 >= 17  # 15% kiosks
            devices.append(
                Device(
                    id=f"{'kiosk' if kiosk else 'badge'}-{i:05d}",
                    kind="kiosk" if kiosk else "badge",
                    station_id=f"st-{i % 1000:04d}",
                    hw="rev-b",
                    fw="0.2.0",
                    tags=["pilot"] if i % 50 == 0 else [],
                    online=rng.random() < 0.6,
                    status_reason="",
                    status_at=now,
                    last_seen=now,
                    keepalive_s=60,
                    last_tele={
                        "seq": i,
                        "uptime_s": 3600,
                        "batt_mv": 3900,
                        "batt_pct": 80,
                        "charging": False,
                        "storage_free_kb": 100000,
                        "rssi_dbm": -60,
                        "worn": True,
                        "backlog": 0,
                    },
                    health={},
                )
            )
        await Device.bulk_create(devices, batch_size=1000)
        await DeviceTag.bulk_create(
            [DeviceTag(device_id=d.id, tag=t) for d in devices for t in d.tags],
            batch_size=1000,
        )
        await Alert.bulk_create(
            [
                Alert(
                    device_id=d.id,
                    rule="battery_low",
                    severity="warn",
                    message="low",
                    opened_at=now,
                )
                for d in devices[::20]
            ]
        )
        return [d.id for d in devices]
    finally:
        await close_db()


def queries(ids: list[str], rng: random.Random) -> dict[str, str]:
    """One request of each kind (query strings)."""
    return {
        "first page": "",
        "random cursor": f"after={rng.choice(ids)}",
        "station": f"station=st-{rng.randrange(1000):04d}",
        "region": f"region=R{rng.randrange(10)}",
        "online": "online=true",
        "alerting": "alerting=true",
        "rare tag": "tag=pilot",
        "1000 per page": f"limit=1000&after={rng.choice(ids)}",
    }


async def admin_token(db_url: str) -> str:
    """An admin's API token (the API is not open to anonymous callers)."""
    await open_db(db_url)
    try:
        user = await accounts.add_user("bench-admin", None, [accounts.GrantSpec("admin")])
        return await accounts.create_token(user, "bench")
    finally:
        await close_db()


async def measure(base: str, ids: list[str], rounds: int, token: str) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    rng = random.Random(2)
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(3):  # warm up: connections, caches
            for q in queries(ids, rng).values():
                async with http.get(f"{base}api/v1/devices?{q}") as r:
                    await r.read()
        for _ in range(rounds):
            for name, q in queries(ids, rng).items():
                t0 = time.perf_counter()
                async with http.get(f"{base}api/v1/devices?{q}") as r:
                    body = await r.read()
                    if r.status != 200:
                        raise SystemExit(f"{q}: HTTP {r.status} {body[:200]!r}")
                times.setdefault(name, []).append(time.perf_counter() - t0)
    return times


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devices", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per query kind")
    ap.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = ap.parse_args()
    workdir = tmpdir()
    db_url = args.db or sqlite_url(str(workdir / "fleet.sqlite3"))
    ids = await seed(db_url, args.devices)
    token = await admin_token(db_url)
    async with broker(workdir) as mq, fleet_process(workdir, db_url, mq.config.port) as base:
        times = await measure(base, ids, args.requests, token)
    every = [t for ts in times.values() for t in ts]
    print(f"{args.devices:,} devices, {len(every)} requests ({args.requests} per query kind)")
    print(f"{'query':16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, ts in times.items():
        ordered = sorted(ts)
        print(
            f"{name:16} {ordered[len(ts) // 2] * 1e3:8.1f} {p95(ts) * 1e3:8.1f} "
            f"{ordered[-1] * 1e3:8.1f}"
        )
    overall = p95(every) * 1e3
    verdict = "yes" if overall < 100 else "NO"
    print(f"\nall requests: p95 {overall:.1f} ms   (goal < 100 ms: {verdict})")


if __name__ == "__main__":
    asyncio.run(main())
