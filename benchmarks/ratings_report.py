"""Issue 21's report goal: NPS reports over a year of ratings (600,000) in under 1 s on
PostgreSQL.

A year of customers' answers: 1,000 kiosks at 1,000 stations in 20 regions, NPS on 90% of
them, staff ratings on 60%, reasons on the low ones. Every report the fleet offers
(fleet/surveys/reports.py: NPS, CSI and staff ratings by station and by region for all time,
per day, week and month; the reasons behind low scores) runs 5 times; the median and the
worst are printed. The rows are written with PostgreSQL's COPY and their sums per station and period
(fleet/surveys/sums.py, kept by ingest) made at once (neither is timed). A
report per day covers the last 92 days (the API refuses more than 93); the others a year.

Side by side, NPS per station and month the ORM way: every rating fetched and grouped in
Python.

    .venv/bin/python benchmarks/ratings_report.py [--ratings 600000] [--db postgres://...]
"""

import argparse
import asyncio
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.review_reports import drop_database, new_database, timed
from fleet.db import close_db, open_db
from fleet.hierarchy import stations
from fleet.surveys import reports, sums
from fleet.surveys.models import Rating

GOAL_S = 1.0
NOW = datetime(2026, 11, 1, tzinfo=UTC)
REASONS = ("queue", "price", "rude", "dirty", "slow", "fuel")


def rows(n: int, rng: random.Random) -> list[tuple]:  # type: ignore[type-arg]
    out = []
    for i in range(n):
        k = rng.randrange(1000)
        nps = rng.choices(range(11), (3, 2, 2, 3, 3, 4, 6, 10, 20, 22, 25))[0]
        has_nps, has_staff = rng.random() < 0.9, rng.random() < 0.6
        stars = [rng.choices((1, 2, 3, 4, 5), (3, 5, 12, 30, 50))[0] for _ in range(3)]
        low = has_nps and nps < 7
        why = rng.sample(REASONS, rng.randint(1, 2)) if low else []
        out.append((
            f"k-{k:04d}", f"st-{k:04d}", i, f"s-{i:08x}-1", "summer", 3, "ru",
            nps if has_nps or not has_staff else None,
            *(stars if has_staff else (None, None, None)),
            "[" + ",".join(f'"{w}"' for w in why) + "]", "",
            NOW - timedelta(seconds=rng.uniform(0, 365 * 86400)),
        ))  # fmt: skip
    return out


async def orm_way(f: reports.Filter) -> int:
    got = await Rating.filter(received_at__gte=f.since, received_at__lt=f.until).values_list(
        "station_id", "received_at", "nps"
    )
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for station, at, nps in got:
        if nps is not None:
            groups[(station, at.strftime("%Y-%m"))].append(nps)
    return len({k: sum(v >= 9 for v in g) - sum(v <= 6 for v in g) for k, g in groups.items()})


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ratings", type=int, default=600_000)
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (default: a new database)")
    opts = ap.parse_args()
    url = opts.db or await new_database()
    try:
        await open_db(url)
        org = await stations.create_organisation("bench")
        regions = [await stations.save_region(None, f"region-{r}", org.id) for r in range(20)]
        for k in range(1000):
            await stations.save_station(
                f"st-{k:04d}", f"Station {k}", regions[k % 20].id, "UTC", ""
            )
        t = time.perf_counter()
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            columns = [
                "device_id", "station_id", "seq", "session", "scenario", "version", "lang", "nps",
                "cashier", "fuel_attendant", "shop", "reasons", "comment", "received_at",
            ]  # fmt: skip
            made = rows(opts.ratings, random.Random(21))
            await conn.copy_records_to_table("rating", records=made, columns=columns)
        finally:
            await conn.close()
        written = time.perf_counter() - t
        # what ingest keeps rating by rating, made here at once (as migration 10 did)
        t = time.perf_counter()
        n_sums = await sums.rebuild()
        await Rating._meta.db.execute_script("ANALYZE rating; ANALYZE rating_sum")
        print(f"world: {opts.ratings} ratings over a year, 1,000 kiosks and stations, 20 regions "
              f"on PostgreSQL (written in {written:.0f} s; their {n_sums} sums per station "
              f"and day, week and month made in {time.perf_counter() - t:.1f} s)")  # fmt: skip
        f = reports.Filter(NOW - timedelta(days=366), NOW + timedelta(days=1), None)
        print(f"\n{'report':<28} {'rows':>7} {'median s':>9} {'worst s':>8}")
        worst_all = 0.0
        # a report per day covers at most 93 days (the API refuses longer): the last 92 here
        last_92 = reports.Filter(NOW - timedelta(days=91), NOW + timedelta(days=1), None)
        for by in reports.BY:
            for period in reports.PERIODS:
                g = last_92 if period == "day" else f
                med, worst, n = await timed(
                    lambda by=by, period=period, g=g: reports.nps(by, period, g)
                )
                worst_all = max(worst_all, worst)
                print(f"{'nps by ' + by + ', ' + period:<28} {n:>7} {med:>9.3f} {worst:>8.3f}")
        med, worst, n = await timed(lambda: reports.reasons(f))
        worst_all = max(worst_all, worst)
        print(f"{'reasons behind low scores':<28} {n:>7} {med:>9.3f} {worst:>8.3f}")
        ours, _, _ = await timed(lambda: reports.nps("station", "month", f))
        peer, _, groups = await timed(lambda: orm_way(f), runs=3)
        print(f"\npeer (every rating fetched, grouped in Python): NPS by station and month, "
              f"{groups} groups in {peer:.3f} s median; ours {ours:.3f} s: {peer / ours:.1f}x "
              "faster")  # fmt: skip
        print(
            f"goal: NPS reports over {opts.ratings} ratings < {GOAL_S:g} s on PostgreSQL: "
            f"worst {worst_all:.3f} s -> {'met' if worst_all < GOAL_S else 'NOT met'}"
        )
    finally:
        await close_db()
        if opts.db is None:
            await drop_database(url)


if __name__ == "__main__":
    asyncio.run(main())
