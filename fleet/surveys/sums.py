"""Sums of the ratings per station and UTC day, ISO week and month (the ``rating_sum`` table),
what the NPS reports read for the periods they cover whole.

Ingest adds each rating it stores to its three sums in the same transaction, with one upsert
(``INSERT ... ON CONFLICT DO UPDATE``, on PostgreSQL and SQLite alike) per sum a batch touches,
so two instances adding to one sum at once both count. :func:`rebuild` makes them again from
the ratings (what migration 10 did when the table came).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from fleet.sql_reports import Params, dialect, first_day, first_day_of, next_first_day
from fleet.surveys.models import Rating

GRAINS = ("day", "week", "month")
ROLES = ("cashier", "fuel_attendant", "shop")
# the counters of one sum, in the table's and the upsert's order
COUNTERS = (
    "answers", "nps_answers", "promoters", "detractors", "stars", "rated",
    "cashier", "cashier_n", "fuel_attendant", "fuel_attendant_n", "shop", "shop_n",
)  # fmt: skip
_CHUNK = 60  # sums per upsert: 60 x 15 placeholders stay under SQLite's old limit of 999


def tally(r: str) -> str:
    """The SQL of :data:`COUNTERS`, named so, over the ratings aliased ``r`` (in a grouped
    query)."""
    one = "CASE WHEN {} THEN 1 ELSE 0 END"
    staff = []
    for x in ROLES:
        staff += [f"COALESCE(SUM({r}.{x}), 0)", f"COUNT({r}.{x})"]
    return ", ".join(f"{sql} AS {name}" for sql, name in zip([
        "COUNT(*)", f"COUNT({r}.nps)", "SUM(" + one.format(f"{r}.nps >= 9") + ")",
        "SUM(" + one.format(f"{r}.nps <= 6") + ")",
        "COALESCE(SUM(" + " + ".join(f"COALESCE({r}.{x}, 0)" for x in ROLES) + "), 0)",
        "SUM(" + " + ".join(one.format(f"{r}.{x} IS NOT NULL") for x in ROLES) + ")", *staff,
    ], COUNTERS, strict=True))  # fmt: skip


class Pending:
    """What one batch adds to the sums, by (grain, first day, station), until :meth:`save`."""

    def __init__(self) -> None:
        self.sums: dict[tuple[str, date, str], list[int]] = {}

    def add(self, r: Rating) -> None:
        nps, stars = r.nps, [getattr(r, x) for x in ROLES]
        counts = [1, nps is not None, nps is not None and nps >= 9, nps is not None and nps <= 6,
                  sum(s or 0 for s in stars), sum(s is not None for s in stars)]  # fmt: skip
        for s in stars:
            counts += [s or 0, s is not None]
        day = r.received_at.astimezone(UTC).date()
        for grain in GRAINS:
            key = (grain, first_day_of(grain, day), r.station_id or "")
            total = self.sums.setdefault(key, [0] * len(COUNTERS))
            for i, c in enumerate(counts):
                total[i] += int(c)

    async def save(self) -> None:
        """Add to the table, in the caller's transaction, in key order (two instances adding
        the same sums lock them in one order: no deadlock)."""
        if self.sums:
            await upsert(sorted(self.sums.items()))
            self.sums = {}


async def upsert(sums: Iterable[tuple[tuple[str, date, str], list[int]]]) -> None:
    db, dia = dialect(Rating)
    items = list(sums)
    columns = ", ".join(("grain", "start", "station_id", *COUNTERS))
    adds = ", ".join(f"{c} = rating_sum.{c} + excluded.{c}" for c in COUNTERS)
    for i in range(0, len(items), _CHUNK):
        arg = Params(dia)
        rows = ", ".join(
            f"({arg(grain)}, {arg.day(start)}, {arg(station)}, "
            + ", ".join(arg(c) for c in counts) + ")"
            for (grain, start, station), counts in items[i : i + _CHUNK]
        )  # fmt: skip
        await db.execute_query(
            f"INSERT INTO rating_sum ({columns}) VALUES {rows}"
            f" ON CONFLICT (grain, start, station_id) DO UPDATE SET {adds}",
            arg.values,
        )


async def rebuild() -> int:
    """Make every sum again from the ratings (after a bulk load, or to check); how many."""
    db, dia = dialect(Rating)
    await db.execute_query("DELETE FROM rating_sum")
    columns = ", ".join(("grain", "start", "station_id", *COUNTERS))
    for grain in GRAINS:
        await db.execute_query(
            f"INSERT INTO rating_sum ({columns}) SELECT '{grain}',"
            f" {first_day(dia, grain, 'r.received_at')}, COALESCE(r.station_id, ''), {tally('r')}"
            " FROM rating r GROUP BY 2, 3"
        )
    got: list[dict[str, Any]] = await db.execute_query_dict("SELECT COUNT(*) AS n FROM rating_sum")
    return int(got[0]["n"])


def whole(grain: str, since: datetime, until: datetime) -> tuple[date, date]:
    """The first days of the first and of the after-last ``grain`` periods that lie whole
    within [since, until), in UTC (first >= after-last: none)."""
    lo_t, hi_t = since.astimezone(UTC), until.astimezone(UTC)
    lo = first_day_of(grain, lo_t.date())
    if datetime(lo.year, lo.month, lo.day, tzinfo=UTC) < lo_t:
        lo = next_first_day(grain, lo)
    return lo, first_day_of(grain, hi_t.date())
