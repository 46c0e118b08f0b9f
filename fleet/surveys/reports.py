"""Reports over customers' ratings, one grouped query each (fleet/sql_reports.py): NPS, CSI and
staff ratings per station or region and period, with a 95% confidence interval and a flag for
a group with too few answers to rank; and the reasons given with low scores.

NPS is the share of promoters (9-10) less the share of detractors (0-6), -100..100. Its 95%
interval is the normal one of the mean of a variable that is +1, 0 or -1 per answer. CSI is
the mean staff rating (1-5) as 0-100. Ranks go only to groups with at least ``min_answers``.
"""

import math
from typing import Any

from fleet.sql_reports import PERIODS, Filter, dialect, label, truncate, where
from fleet.surveys.models import Rating

__all__ = ["BY", "PERIODS", "Filter", "nps", "nps_interval", "reasons"]

BY = ("station", "region")
_KEY = {"station": "COALESCE(r.station_id, '(none)')", "region": "COALESCE(rg.name, '(no region)')"}
_JOINS = " LEFT JOIN station st ON st.id = r.station_id LEFT JOIN region rg ON rg.id = st.region_id"
ROLES = ("cashier", "fuel_attendant", "shop")


def nps_interval(n: int, promoters: int, detractors: int) -> tuple[float, float, float] | None:
    """NPS and its 95% interval from counts (None without answers)."""
    if n <= 0:
        return None
    p, d = promoters / n, detractors / n
    score = p - d
    se = math.sqrt(max(0.0, (p + d - score**2) / n))
    return 100 * score, 100 * max(-1.0, score - 1.96 * se), 100 * min(1.0, score + 1.96 * se)


async def nps(by: str, period: str, f: Filter, min_answers: int = 30) -> list[dict[str, Any]]:
    """NPS, CSI and staff ratings per ``by`` and ``period``; within each period the groups
    with enough answers are ranked by NPS, the others flagged ``few``."""
    db, dia = dialect(Rating)
    cond, values = where(f, dia, "r.received_at", "r.station_id")
    stars = " + ".join(f"COALESCE(r.{x}, 0)" for x in ROLES)
    rated = " + ".join(f"CASE WHEN r.{x} IS NULL THEN 0 ELSE 1 END" for x in ROLES)
    # grouped by the truncated time, labelled after: one to_char per group, not per row; the
    # stations and regions joined only for a report by region
    inner = (
        f"SELECT {_KEY[by]} AS k, {truncate(dia, period, 'r.received_at')} AS p,"
        " COUNT(r.nps) AS n, SUM(CASE WHEN r.nps >= 9 THEN 1 ELSE 0 END) AS promoters,"
        " SUM(CASE WHEN r.nps <= 6 THEN 1 ELSE 0 END) AS detractors,"
        f" SUM({stars}) AS stars, SUM({rated}) AS rated,"
        # a float mean: PostgreSQL's AVG of integers is numeric, slow to sum and to decode
        + ", ".join(f"AVG(CAST(r.{x} AS DOUBLE PRECISION)) AS {x}" for x in ROLES)
        + f", COUNT(*) AS answers FROM rating r{_JOINS if by == 'region' else ''}{cond}"
        " GROUP BY 1, 2"
    )
    sql = f"SELECT i.*, {label(dia, period, 'i.p')} AS period FROM ({inner}) i ORDER BY i.p, i.k"
    out: list[dict[str, Any]] = []
    for r in await db.execute_query_dict(sql, values):
        n = int(r["n"] or 0)
        ci = nps_interval(n, int(r["promoters"] or 0), int(r["detractors"] or 0))
        rated_n = int(r["rated"] or 0)
        cashier, fuel, shop = r["cashier"], r["fuel_attendant"], r["shop"]
        out.append({
            by: r["k"], "period": r["period"] or None, "answers": int(r["answers"]),
            "nps_answers": n, "nps": round(ci[0], 2) if ci else None,
            "nps_low": round(ci[1], 2) if ci else None, "nps_high": round(ci[2], 2) if ci else None,
            "csi": round(100 * (int(r["stars"]) / rated_n - 1) / 4, 2) if rated_n else None,
            "cashier": None if cashier is None else round(float(cashier), 2),
            "fuel_attendant": None if fuel is None else round(float(fuel), 2),
            "shop": None if shop is None else round(float(shop), 2),
            "few": n < min_answers, "rank": None,
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
