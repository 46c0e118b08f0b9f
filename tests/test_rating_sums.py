"""The ratings' sums per station and day, week and month (fleet/surveys/sums.py), on SQLite and
PostgreSQL: ingest keeps them in its transaction (a batch rolled back adds nothing), they equal
the sums made again from the ratings, and every NPS report read from them (whole periods) and
from the ratings (the part periods at its edges) equals the same report worked out in Python
from the ratings themselves."""

import importlib.util
import math
import random
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from crmsensor.protocol import Event
from fleet import migrate
from fleet.devices.registry import DeviceSpec, register
from fleet.hierarchy import stations
from fleet.ingest.batch import Batch, Received
from fleet.surveys import reports, sums
from fleet.surveys.ingest_handler import RatingHandler
from fleet.surveys.models import Rating, RatingSum

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KIOSKS = {"kiosk-0601": "st-61", "kiosk-0602": "st-62", "kiosk-0603": None, "kiosk-0604": "st-64"}
REGION = {"st-61": "north", "st-62": "south", "st-64": "north"}


def ratings(rng: random.Random, n: int) -> list[Received]:
    out = []
    for seq in range(n):
        kiosk = rng.choice(sorted(KIOSKS))
        data: dict[str, Any] = {"session": f"s-{seq:08x}-1", "scenario": "summer", "version": 1}
        if rng.random() < 0.9:
            data["nps"] = rng.randrange(11)
        if rng.random() < 0.6:
            data["staff"] = {x: rng.randint(1, 5) for x in sums.ROLES if rng.random() < 0.7}
        at = T0 + timedelta(seconds=rng.uniform(0, 150 * 86400))
        out.append(Received(Event(kiosk, seq, "rating", None, data), at))
    return out


def batch() -> Batch:
    return Batch(reject=lambda *a: None, ignore=lambda what: None)


async def table() -> dict[tuple[str, date, str], tuple[int, ...]]:
    got = await RatingSum.all().values_list("grain", "start", "station_id", *sums.COUNTERS)
    return {(g, s, st): tuple(c) for g, s, st, *c in got if any(c)}


def expected(all_ratings: list[Rating], by: str, period: str, f: reports.Filter) -> list[tuple]:
    """The report's groups, worked out in Python: (key, period, answers, NPS answers, NPS)."""
    groups: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for r in all_ratings:
        if not f.since <= r.received_at < f.until:
            continue
        if f.stations is not None and r.station_id not in set(f.stations):
            continue
        day = r.received_at.astimezone(UTC).date()
        label = {"all": "", "day": day.isoformat(), "month": day.strftime("%Y-%m"),
                 "week": (day - timedelta(days=day.weekday())).isoformat()}[period]  # fmt: skip
        station = r.station_id or "(none)"
        key = REGION.get(station, "(no region)") if by == "region" else station
        groups[(key, label)].append(r)
    out = []
    for (key, label), rs in groups.items():
        scored = [r.nps for r in rs if r.nps is not None]
        promoters, detractors = sum(s >= 9 for s in scored), sum(s <= 6 for s in scored)
        # to the nearest hundredth, halves up, from the exact fraction
        exact = Fraction(100 * (promoters - detractors), len(scored)) if scored else None
        score = None if exact is None else math.floor(exact * 100 + Fraction(1, 2)) / 100
        out.append((key, label or None, len(rs), len(scored), score))
    return sorted(out, key=lambda x: (x[1] or "", x[0]))


async def test_sums_kept_by_ingest_and_reports_read_them(fleet_db: str) -> None:
    org = await stations.create_organisation("sums")
    for name in ("north", "south"):
        region = await stations.save_region(None, name, org.id)
        for station in (s for s, r in REGION.items() if r == name):
            await stations.save_station(station, station, region.id, "UTC", "")
    for kiosk, station in KIOSKS.items():
        await register(DeviceSpec(kiosk, "kiosk", station))
    items = ratings(random.Random(22), 600)
    handler = RatingHandler()
    for i in range(0, len(items), 50):
        async with in_transaction():
            await handler.store(items[i : i + 50], batch())
    kept = await table()
    assert kept and {g for g, _, _ in kept} == set(sums.GRAINS)

    # a batch that fails after storing adds neither ratings nor sums
    extra = ratings(random.Random(23), 5)
    extra = [Received(Event(r.message.device_id, 10_000 + i, "rating", None, r.message.data),
                      r.received_at) for i, r in enumerate(extra)]  # fmt: skip
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await handler.store(extra, batch())
            raise RuntimeError("the batch failed after its handlers ran")
    assert await Rating.all().count() == 600 and await table() == kept

    # the same ratings again (QoS 1 redelivery): stored once, counted once
    async with in_transaction():
        await handler.store(items[:20], batch())
    assert await table() == kept
    assert await sums.rebuild() > 0 and await table() == kept

    stored = await Rating.all()
    cases = [
        reports.Filter(T0 - timedelta(days=1), T0 + timedelta(days=200)),  # all whole periods
        # edges inside a day, a week and a month, ending mid-day
        reports.Filter(T0 + timedelta(days=9, hours=5), T0 + timedelta(days=101, hours=7)),
        reports.Filter(T0 + timedelta(hours=3), T0 + timedelta(hours=20)),  # within one day
        reports.Filter(T0, T0 + timedelta(days=120), stations=["st-62"]),
        reports.Filter(T0, T0 + timedelta(days=120), stations=[]),
    ]
    for f in cases:
        for by in reports.BY:
            for period in reports.PERIODS:
                got = await reports.nps(by, period, f, min_answers=1)
                rows = [(r[by], r["period"], r["answers"], r["nps_answers"], r["nps"])
                        for r in got]  # fmt: skip
                assert rows == expected(stored, by, period, f), (by, period, f)
    # staff ratings: the means and CSI of one whole month from its sums, and from the ratings
    march = reports.Filter(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    (row,) = await reports.nps("station", "all", replace(march, station="st-61"))
    mine = [r for r in stored if r.station_id == "st-61" and march.since <= r.received_at
            < march.until and r.cashier is not None]  # fmt: skip
    mean = Fraction(sum(r.cashier for r in mine), len(mine))  # type: ignore[misc]
    assert row["cashier"] == math.floor(mean * 100 + Fraction(1, 2)) / 100


async def test_migration_10_sums_the_ratings_already_there(fleet_db: str) -> None:
    await register(DeviceSpec("kiosk-0601", "kiosk", "st-61"))
    await register(DeviceSpec("kiosk-0603", "kiosk", None))
    items = [r for r in ratings(random.Random(24), 200) if r.message.device_id != "kiosk-0602"]
    async with in_transaction():
        await RatingHandler().store(items, batch())
    kept = await table()
    dialect = "postgres" if fleet_db.startswith("postgres") else "sqlite"
    (path,) = migrate.location(dialect).glob("models/10_*.py")
    spec = importlib.util.spec_from_file_location("migration_10", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = Rating._meta.db
    await conn.execute_script('DROP TABLE "rating_sum"')
    await conn.execute_script(await module.upgrade(conn))
    assert await table() == kept
