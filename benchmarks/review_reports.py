"""Issue 20's reports goal: over 50,000 reviews, any report in under 1 s on PostgreSQL.

A year of mystery-shopper reviews: 100 stations in 10 regions, 300 staff, 20 reviewers, a
checklist of 12 items (one critical), every review tied to its kiosk service (its service
time). Every report the web office offers (fleet/reviews/reports.py: MSI by station, region,
staff and reviewer, for all time and per day, week and month; item pass rates over all, per
station and per region) runs 5 times; the median and the worst are printed.

Side by side, the same MSI-per-station-per-week report the ORM way: every review fetched and
grouped in Python (what the reports replace).

Then 50,000 more reviews and the export of all 100,000 through the fleet's HTTP API as CSV and
XLSX (streamed; rows counted in the files).

    .venv/bin/python benchmarks/review_reports.py [--reviews 50000] [--db postgres://...]
"""

import argparse
import asyncio
import csv
import io
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import tmpdir
from fleet.app import start_app
from fleet.db import close_db, open_db
from fleet.hierarchy import stations
from fleet.office import accounts
from fleet.reviews import reports
from fleet.reviews.models import ChecklistTemplate, Review, Service
from fleet.settings import FleetSettings

PG = os.environ.get("CRMS_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
GOAL_S = 1.0
ITEMS = [f"item_{i}" for i in range(12)]
NOW = datetime(2026, 11, 1, tzinfo=UTC)


async def new_database() -> str:
    conn = await asyncpg.connect(PG, timeout=5)
    name = f"crms_bench_{uuid.uuid4().hex[:10]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG.rsplit("/", 1)[0] + "/" + name


async def drop_database(url: str) -> None:
    conn = await asyncpg.connect(PG, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def populate(n: int, rng: random.Random, first: int) -> None:
    """``n`` reviews (and their services) spread over the year before NOW."""
    template = await ChecklistTemplate.get(family="bench")
    for start in range(0, n, 5000):
        batch = range(first + start, first + min(n, start + 5000))
        services, reviews = [], []
        for i in batch:
            at = NOW - timedelta(seconds=rng.uniform(0, 365 * 86400))
            station = f"st-{rng.randrange(100):03d}"
            services.append(Service(
                station_id=station, kiosk_id=f"k-{station}", session=f"s-{i:08x}-1",
                start=at, end=at + timedelta(seconds=90), duration_s=rng.uniform(40, 300),
                end_event=i, clip_state="ready",
            ))  # fmt: skip
        await Service.bulk_create(services)
        made = await Service.filter(end_event__gte=batch.start, end_event__lt=batch.stop)
        for s in made:
            answers = {k: rng.choices(("yes", "no", "na"), (80, 15, 5))[0] for k in ITEMS}
            failed = ["item_0"] if answers["item_0"] == "no" else []
            yes = sum(v == "yes" for v in answers.values())
            asked = sum(v != "na" for v in answers.values()) or 1
            reviews.append(Review(
                template_id=template.id, station_id=s.station_id, service_id=s.id,
                kiosk_session=s.session, device_id="b-1", staff=f"staff-{rng.randrange(300)}",
                answers=answers, comments=[], msi=0.0 if failed else round(100 * yes / asked, 2),
                failed_critical=failed, reviewer=f"rev-{rng.randrange(20)}",
                state="under_appeal" if rng.random() < 0.02 else "final",
            ))  # fmt: skip
        await Review.bulk_create(reviews)
    # created_at is auto_now_add: spread it over the year as the services are
    await Review._meta.db.execute_query(
        "UPDATE review SET created_at = s.start FROM service s "
        "WHERE s.id = review.service_id AND review.created_at > $1",
        [NOW + timedelta(days=1)],
    )


async def orm_way(f: reports.Filter) -> int:
    """MSI per station and week by fetching every review and grouping in Python."""
    rows = await Review.filter(created_at__gte=f.since, created_at__lt=f.until).values_list(
        "station_id", "created_at", "msi"
    )
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for station, at, msi in rows:
        monday = (at - timedelta(days=at.weekday())).date().isoformat()
        if msi is not None:
            groups[(station, monday)].append(msi)
    return len({k: statistics.mean(v) for k, v in groups.items()})


async def timed(make, runs: int = 5) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Median and worst time of ``runs`` calls, and the size of the answer."""
    times, n = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        out = await make()
        times.append(time.perf_counter() - t)
        n = out if isinstance(out, int) else len(out)
    return statistics.median(times), max(times), n


async def export(base: str, token: str, fmt: str) -> tuple[float, int, int]:
    url = base + f"api/v1/reviews/export?format={fmt}&since=2020-01-01T00:00:00Z"
    t = time.perf_counter()
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http,
        http.get(url, timeout=aiohttp.ClientTimeout(total=600)) as r,
    ):
        body = await r.read()
        status = r.status
    took = time.perf_counter() - t
    if status != 200:
        raise SystemExit(f"export {fmt}: HTTP {status}: {body[:200]!r}")
    if fmt == "csv":
        rows = sum(1 for _ in csv.reader(io.StringIO(body.decode()))) - 1
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
    return took, rows, len(body)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=50_000)
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (default: a new database)")
    opts = ap.parse_args()
    url = opts.db or await new_database()
    rng = random.Random(20)
    try:
        await open_db(url)
        org = await stations.create_organisation("bench")
        regions = [await stations.save_region(None, f"region-{r}", org.id) for r in range(10)]
        for s in range(100):
            await stations.save_station(
                f"st-{s:03d}", f"Station {s}", regions[s % 10].id, "UTC", ""
            )
        await ChecklistTemplate.create(family="bench", version=1, name="Bench",
                                       service_type="cashier", doc={})  # fmt: skip
        t = time.perf_counter()
        await populate(opts.reviews, rng, 0)
        print(f"world: {opts.reviews} reviews over a year, 100 stations, 10 regions, 300 staff, "
              f"20 reviewers on PostgreSQL (made in {time.perf_counter() - t:.0f} s)")  # fmt: skip
        f = reports.Filter(NOW - timedelta(days=366), NOW + timedelta(days=1), None)
        print(f"\n{'report':<34} {'rows':>6} {'median s':>9} {'worst s':>8}")
        worst_all = 0.0
        for by in reports.BY:
            for period in reports.PERIODS:
                med, worst, n = await timed(lambda by=by, period=period: reports.msi(by, period, f))
                worst_all = max(worst_all, worst)
                print(f"{'msi by ' + by + ', ' + period:<34} {n:>6} {med:>9.3f} {worst:>8.3f}")
        for by in reports.ITEMS_BY:
            med, worst, n = await timed(lambda by=by: reports.items(by, f))
            worst_all = max(worst_all, worst)
            print(f"{'items by ' + by:<34} {n:>6} {med:>9.3f} {worst:>8.3f}")
        scoped = reports.Filter(f.since, f.until, {f"st-{s:03d}" for s in range(0, 100, 10)})
        med, worst, n = await timed(lambda: reports.msi("station", "week", scoped))
        worst_all = max(worst_all, worst)
        print(f"{'msi by station, week (10 stations)':<34} {n:>6} {med:>9.3f} {worst:>8.3f}")
        ours, _, _ = await timed(lambda: reports.msi("station", "week", f))
        peer, _, groups = await timed(lambda: orm_way(f), runs=3)
        print(f"\npeer (every review fetched, grouped in Python): msi by station, week "
              f"{groups} rows in {peer:.3f} s median; ours {ours:.3f} s: {peer / ours:.1f}x "
              "faster")  # fmt: skip
        print(f"goal: any report < {GOAL_S:g} s on PostgreSQL: worst {worst_all:.3f} s "
              f"-> {'met' if worst_all < GOAL_S else 'NOT met'}")  # fmt: skip

        await populate(opts.reviews, rng, opts.reviews)
        total = await Review.all().count()
        user = await accounts.add_user("bench", None, [accounts.GrantSpec("admin")])
        token = await accounts.create_token(user, "bench")
        await close_db()
        work = tmpdir()
        settings = FleetSettings(db_url=url, broker_port=1, http_port=0,
                                 objects_dir=work / "objects", client_id="bench")  # fmt: skip
        runner, _app, base = await start_app(settings)
        try:
            print(f"\nexport of every review ({total}) through the HTTP API:")
            for fmt in ("csv", "xlsx"):
                took, rows, size = await export(base, token, fmt)
                ok = "all rows" if rows == total else f"ROWS MISSING ({rows} of {total})"
                print(f"  {fmt}: {rows} rows, {size / 1e6:.1f} MB in {took:.1f} s ({ok})")
        finally:
            await runner.cleanup()
    finally:
        await close_db()
        if opts.db is None:
            await drop_database(url)


if __name__ == "__main__":
    asyncio.run(main())
