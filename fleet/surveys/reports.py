"""Reports over customers' ratings, one grouped query each (fleet/sql_reports.py): NPS, CSI and
staff ratings per station or region and period, with a 95% confidence interval and a flag for
a group with too few answers to rank; and the reasons given with low scores.

NPS is the share of promoters (9-10) less the share of detractors (0-6), -100..100. Its 95%
interval is the normal one of the mean of a variable that is +1, 0 or -1 per answer. CSI is
the mean staff rating (1-5) as 0-100. Ranks go only to groups with at least ``min_answers``.
"""

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from fleet.sql_reports import PERIODS, Filter, Params, dialect, first_day, scope, where
from fleet.surveys import sums
from fleet.surveys.models import Rating

__all__ = ["BY", "PERIODS", "Filter", "nps", "nps_interval", "reasons"]

BY = ("station", "region")
ROLES = sums.ROLES


def _r2(x: float) -> float:
    """``x`` to the nearest hundredth, halves up (a third of ``round(x, 2)``'s time)."""
    return math.floor(x * 100 + 0.5) / 100


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def nps_interval(n: int, promoters: int, detractors: int) -> tuple[float, float, float] | None:
    """NPS and its 95% interval from counts, to hundredths (None without answers)."""
    if n <= 0:
        return None
    score = (promoters - detractors) / n
    half = 1.96 * math.sqrt(max(0.0, ((promoters + detractors) / n - score * score) / n))
    return _r2(100 * score), _r2(100 * max(-1.0, score - half)), _r2(100 * min(1.0, score + half))


def figures(counts: Sequence[int]) -> tuple[float | None, ...]:
    """NPS, its interval, CSI and each role's mean stars from one group's :data:`COUNTERS
    <fleet.surveys.sums.COUNTERS>`, to hundredths: what :func:`_figures_sql` gives in SQL."""
    _, n, pro, det, stars, rated, c, c_n, fa, fa_n, sh, sh_n = counts
    return (*(nps_interval(n, pro, det) or (None, None, None)),
            _r2(100 * (stars / rated - 1) / 4) if rated else None,
            _r2(c / c_n) if c_n else None, _r2(fa / fa_n) if fa_n else None,
            _r2(sh / sh_n) if sh_n else None)  # fmt: skip


def _figures_sql(rows: str) -> str:
    """PostgreSQL: each row of ``rows`` (k, label and the COUNTERS) as k, label, answers, NPS
    answers and :func:`figures`, by the same operations on doubles. A report of 70,000 rows
    (92 days by station) is worked out in a fraction of the time Python takes."""

    def r2(x: str) -> str:
        return f"floor(({x}) * 100 + 0.5) / 100"

    def when(n: str, x: str) -> str:
        return f"CASE WHEN v.{n} > 0 THEN {r2(x)} END"

    def mean(role: str) -> str:
        return when(f"{role}_n", f"CAST(v.{role} AS DOUBLE PRECISION) / v.{role}_n")

    dbl = "DOUBLE PRECISION"
    score = f"CAST(x.promoters - x.detractors AS {dbl}) / NULLIF(x.nps_answers, 0)"
    half = (f"CAST(1.96 AS {dbl}) * sqrt(GREATEST(0, (CAST(w.promoters + w.detractors AS {dbl})"
            " / w.nps_answers - w.score * w.score) / w.nps_answers))")  # fmt: skip
    return (
        "SELECT v.k, v.label, v.answers, v.nps_answers,"
        f" {when('nps_answers', '100 * v.score')},"
        f" {when('nps_answers', '100 * GREATEST(-1, v.score - v.half)')},"
        f" {when('nps_answers', '100 * LEAST(1, v.score + v.half)')},"
        f" {when('rated', f'100 * (CAST(v.stars AS {dbl}) / v.rated - 1) / 4')}, "
        + ", ".join(mean(role) for role in ROLES)
        + f" FROM (SELECT w.*, CASE WHEN w.nps_answers > 0 THEN {half} END AS half"
        f" FROM (SELECT x.*, {score} AS score FROM ({rows}) x) w) v"
    )


def _key(by: str, station: str) -> str:
    if by == "region":
        return "COALESCE(rg.name, '(no region)')"
    return f"COALESCE(NULLIF({station}, ''), '(none)')"


def _joins(by: str, station: str) -> str:
    if by != "region":  # the stations and regions joined only for a report by region
        return ""
    return f" LEFT JOIN station st ON st.id = {station} LEFT JOIN region rg ON rg.id = st.region_id"


def _label(dia: str, period: str, first: str) -> str:
    if dia == "postgres":
        return f"to_char({first}, '{'YYYY-MM' if period == 'month' else 'YYYY-MM-DD'}')"
    return f"substr({first}, 1, 7)" if period == "month" else first


async def nps(by: str, period: str, f: Filter, min_answers: int = 30) -> list[dict[str, Any]]:
    """NPS, CSI and staff ratings per ``by`` and ``period``; within each period the groups
    with enough answers are ranked by NPS, the others flagged ``few``.

    The periods the filter covers whole are read from their sums (fleet/surveys/sums.py; all
    time from the months'), the part periods at its edges from the ratings: one query, its
    two halves added per group and period."""
    db, dia = dialect(Rating)
    grain = "month" if period == "all" else period
    lo, hi = sums.whole(grain, f.since, f.until)
    arg = Params(dia)
    halves, edges = [], [(f.since, f.until)]
    first = "''" if period == "all" else "{}"
    if lo < hi:  # a station's sums are one per period; a region's are added up
        each = [f"CAST(SUM(s.{c}) AS BIGINT)" if by == "region" else f"s.{c}"
                for c in sums.COUNTERS]  # fmt: skip
        halves.append(
            f"SELECT {_key(by, 's.station_id')} AS k, {first.format('s.start')} AS p, "
            + ", ".join(f"{x} AS {c}" for x, c in zip(each, sums.COUNTERS, strict=True))
            + f" FROM rating_sum s{_joins(by, 's.station_id')} WHERE s.grain = {arg(grain)}"
            f" AND s.start >= {arg.day(lo)} AND s.start < {arg.day(hi)}"
            + scope(f, "s.station_id", arg)
            + (" GROUP BY 1, 2" if by == "region" else "")
        )
        edges = [(f.since, _midnight(lo)), (_midnight(hi), f.until)]
    edges = [(a, b) for a, b in edges if a < b]
    if edges:
        when = " OR ".join(
            f"(r.received_at >= {arg.time(a)} AND r.received_at < {arg.time(b)})" for a, b in edges
        )
        raw_first = first.format(first_day(dia, grain, "r.received_at"))
        halves.append(
            f"SELECT {_key(by, 'r.station_id')} AS k, {raw_first} AS p, {sums.tally('r')}"
            f" FROM rating r{_joins(by, 'r.station_id')} WHERE ({when})"
            + scope(f, "r.station_id", arg) + " GROUP BY 1, 2"
        )  # fmt: skip
    if not halves:
        return []
    if period == "all":  # the two halves' groups added
        counters = ", ".join(f"CAST(SUM(u.{c}) AS BIGINT) AS {c}" for c in sums.COUNTERS)
        sql = (f"SELECT u.k, '' AS label, {counters} FROM ({' UNION ALL '.join(halves)}) u"
               " GROUP BY u.k")  # fmt: skip
    else:  # the halves' periods differ: no group in both
        counters = ", ".join(f"u.{c}" for c in sums.COUNTERS)
        sql = (f"SELECT u.k, {_label(dia, period, 'u.p')} AS label, {counters}"
               f" FROM ({' UNION ALL '.join(halves)}) u")  # fmt: skip
    if dia == "postgres":
        _, got = await db.execute_query(_figures_sql(sql), arg.values)
    else:  # SQLite may lack sqrt() and floor() (a build option): worked out here
        _, counted = await db.execute_query(sql, arg.values)
        got = [(r[0], r[1], r[2], r[3], *figures(tuple(r)[2:])) for r in counted]
    # sorted here by period and group: 50,000 rows (a year by station and week) sort in a
    # third of the time PostgreSQL takes in byte order
    out: list[dict[str, Any]] = []
    for k, label, answers, n, score, low, high, csi, cashier, fuel, shop in sorted(
        got, key=lambda r: r[1] + "\0" + r[0]
    ):
        out.append({
            by: k, "period": label or None, "answers": answers, "nps_answers": n, "nps": score,
            "nps_low": low, "nps_high": high, "csi": csi, "cashier": cashier,
            "fuel_attendant": fuel, "shop": shop, "few": n < min_answers, "rank": None,
        })  # fmt: skip
    by_period: dict[Any, list[dict[str, Any]]] = {}
    for row in out:
        if not row["few"]:
            by_period.setdefault(row["period"], []).append(row)
    for rows in by_period.values():
        for rank, row in enumerate(sorted(rows, key=lambda x: -x["nps"]), start=1):
            row["rank"] = rank
    return out


async def reasons(f: Filter, below: int = 7) -> list[dict[str, Any]]:
    """How often each reason was given with an NPS below ``below``, most frequent first."""
    db, dia = dialect(Rating)
    cond, values = where(f, dia, "r.received_at", "r.station_id")
    each = (
        "jsonb_array_elements_text(r.reasons) AS j(value)"
        if dia == "postgres"
        else ("json_each(r.reasons) AS j")
    )
    sql = (
        f"SELECT j.value AS reason, COUNT(*) AS n FROM rating r CROSS JOIN {each}{cond}"
        f" AND r.nps < {int(below)} GROUP BY 1 ORDER BY 2 DESC, 1"
    )
    return [{"reason": r["reason"], "answers": int(r["n"])}
            for r in await db.execute_query_dict(sql, values)]  # fmt: skip
