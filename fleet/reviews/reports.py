"""Reports over reviews, computed in the database (one grouped query each, on SQLite and on
PostgreSQL): the MSI per station, region, staff member or reviewer and period, with the
number of reviews, those under appeal and with a critical item failed, and the kiosk's average
service time; and each checklist item's pass rate.

Scope: ``stations`` None is every station; otherwise the rows are limited to those stations
in SQL. Periods are calendar days, ISO weeks (from Monday) or months, in UTC.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fleet.reviews.models import Review

BY = ("station", "region", "staff", "reviewer")
PERIODS = ("all", "day", "week", "month")
ITEMS_BY = ("all", "station", "region")

_KEY = {
    "station": "r.station_id",
    "region": "COALESCE(rg.name, '(no region)')",
    "staff": "r.staff",
    "reviewer": "r.reviewer",
    "all": "''",
}
_BUCKET = {
    "postgres": {
        "all": "''",
        "day": "to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        "week": "to_char(date_trunc('week', r.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
        "month": "to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
    },
    "sqlite": {
        "all": "''",
        "day": "date(r.created_at)",
        "week": "date(r.created_at, 'weekday 0', '-6 days')",
        "month": "strftime('%Y-%m', r.created_at)",
    },
}
_JOINS = " LEFT JOIN station st ON st.id = r.station_id LEFT JOIN region rg ON rg.id = st.region_id"


@dataclass(frozen=True)
class Filter:
    since: datetime
    until: datetime
    stations: Iterable[str] | None = None  # None: all
    station: str | None = None


def _dialect() -> tuple[Any, str]:
    db = Review._meta.db
    return db, ("postgres" if db.capabilities.dialect == "postgres" else "sqlite")


def _where(f: Filter, dialect: str) -> tuple[str, list[Any]]:
    values: list[Any] = []

    def arg(v: Any) -> str:
        values.append(v)
        return f"${len(values)}" if dialect == "postgres" else "?"

    lo: Any = f.since
    hi: Any = f.until
    if dialect == "sqlite":  # tortoise keeps SQLite times as ISO text with a space
        lo, hi = lo.isoformat(" "), hi.isoformat(" ")
    sql = f" WHERE r.created_at >= {arg(lo)} AND r.created_at < {arg(hi)}"
    if f.station:
        sql += f" AND r.station_id = {arg(f.station)}"
    if f.stations is not None:
        allowed = sorted(f.stations)
        if not allowed:
            return sql + " AND 1 = 0", values
        sql += f" AND r.station_id IN ({', '.join(arg(s) for s in allowed)})"
    return sql, values


async def msi(by: str, period: str, f: Filter) -> list[dict[str, Any]]:
    """MSI rows per ``by`` and ``period``, periods oldest first, best MSI first within one."""
    db, dialect = _dialect()
    key, bucket = _KEY[by], _BUCKET[dialect][period]
    length = "jsonb_array_length" if dialect == "postgres" else "json_array_length"
    where, values = _where(f, dialect)
    sql = (
        f"SELECT {key} AS k, {bucket} AS period, COUNT(*) AS n, AVG(r.msi) AS msi,"
        " MIN(r.msi) AS msi_min,"
        " SUM(CASE WHEN r.state = 'under_appeal' THEN 1 ELSE 0 END) AS appealed,"
        f" SUM(CASE WHEN {length}(r.failed_critical) > 0 THEN 1 ELSE 0 END) AS critical,"
        " AVG(s.duration_s) AS service_s"
        " FROM review r LEFT JOIN service s ON s.id = r.service_id"
        f"{_JOINS}{where} GROUP BY 1, 2 ORDER BY 2, 4 DESC"
    )
    rows = await db.execute_query_dict(sql, values)
    return [
        {by: r["k"], "period": r["period"] or None, "reviews": int(r["n"]),
         "msi": _round(r["msi"]), "msi_min": _round(r["msi_min"]),
         "under_appeal": int(r["appealed"] or 0), "critical_failed": int(r["critical"] or 0),
         "service_s": _round(r["service_s"])}
        for r in rows
    ]  # fmt: skip


async def items(by: str, f: Filter) -> list[dict[str, Any]]:
    """Each checklist item's answers (yes, no, na) and pass rate (yes of yes + no), per
    ``by`` (all, station or region)."""
    db, dialect = _dialect()
    where, values = _where(f, dialect)
    each = (
        "jsonb_each_text(r.answers) AS j(key, value)"
        if dialect == "postgres"
        else "json_each(r.answers) AS j"
    )
    # per station and item first (no join on the exploded answers), then grouped by ``by``
    inner = (
        "SELECT r.station_id AS station_id, j.key AS item,"
        " SUM(CASE WHEN j.value = 'yes' THEN 1 ELSE 0 END) AS yes,"
        " SUM(CASE WHEN j.value = 'no' THEN 1 ELSE 0 END) AS no,"
        " SUM(CASE WHEN j.value = 'na' THEN 1 ELSE 0 END) AS na"
        f" FROM review r CROSS JOIN {each}{where}"
        " AND j.value IN ('yes', 'no', 'na') GROUP BY 1, 2"
    )
    key = _KEY[by].replace("r.station_id", "i.station_id")
    sql = (
        f"SELECT {key} AS k, i.item AS item, SUM(i.yes) AS yes, SUM(i.no) AS no,"
        f" SUM(i.na) AS na FROM ({inner}) i"
        " LEFT JOIN station st ON st.id = i.station_id"
        " LEFT JOIN region rg ON rg.id = st.region_id GROUP BY 1, 2 ORDER BY 1, 2"
    )
    out = []
    for r in await db.execute_query_dict(sql, values):
        yes, no = int(r["yes"]), int(r["no"])
        row = {"item": r["item"], "yes": yes, "no": no, "na": int(r["na"]),
               "pass_pct": round(100 * yes / (yes + no), 1) if yes + no else None}  # fmt: skip
        out.append({by: r["k"], **row} if by != "all" else row)
    return out


def _round(v: Any) -> float | None:
    return None if v is None else round(float(v), 2)
