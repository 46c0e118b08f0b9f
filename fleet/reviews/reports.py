"""Reports over reviews, computed in the database (one grouped query each, on SQLite and on
PostgreSQL, fleet/sql_reports.py): the MSI per station, region, staff member or reviewer and
period, with the number of reviews, those under appeal and with a critical item failed, and
the kiosk's average service time; and each checklist item's pass rate.

Scope: ``stations`` None is every station; otherwise the rows are limited to those stations
in SQL. Periods are calendar days, ISO weeks (from Monday) or months, in UTC.
"""

from typing import Any

from fleet.reviews.models import Review
from fleet.sql_reports import PERIODS, Filter, bucket, dialect, where

__all__ = ["BY", "ITEMS_BY", "PERIODS", "Filter", "items", "msi"]

BY = ("station", "region", "staff", "reviewer")
ITEMS_BY = ("all", "station", "region")

_KEY = {
    "station": "r.station_id",
    "region": "COALESCE(rg.name, '(no region)')",
    "staff": "r.staff",
    "reviewer": "r.reviewer",
    "all": "''",
}
_JOINS = " LEFT JOIN station st ON st.id = r.station_id LEFT JOIN region rg ON rg.id = st.region_id"


def _where(f: Filter, dia: str) -> tuple[str, list[Any]]:
    return where(f, dia, "r.created_at", "r.station_id")


async def msi(by: str, period: str, f: Filter) -> list[dict[str, Any]]:
    """MSI rows per ``by`` and ``period``, periods oldest first, best MSI first within one."""
    db, dia = dialect(Review)
    key, period_sql = _KEY[by], bucket(dia, period, "r.created_at")
    length = "jsonb_array_length" if dia == "postgres" else "json_array_length"
    cond, values = _where(f, dia)
    sql = (
        f"SELECT {key} AS k, {period_sql} AS period, COUNT(*) AS n, AVG(r.msi) AS msi,"
        " MIN(r.msi) AS msi_min,"
        " SUM(CASE WHEN r.state = 'under_appeal' THEN 1 ELSE 0 END) AS appealed,"
        f" SUM(CASE WHEN {length}(r.failed_critical) > 0 THEN 1 ELSE 0 END) AS critical,"
        " AVG(s.duration_s) AS service_s"
        " FROM review r LEFT JOIN service s ON s.id = r.service_id"
        f"{_JOINS}{cond} GROUP BY 1, 2 ORDER BY 2, 4 DESC"
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
    db, dia = dialect(Review)
    cond, values = _where(f, dia)
    each = (
        "jsonb_each_text(r.answers) AS j(key, value)"
        if dia == "postgres"
        else "json_each(r.answers) AS j"
    )
    # per station and item first (no join on the exploded answers), then grouped by ``by``
    inner = (
        "SELECT r.station_id AS station_id, j.key AS item,"
        " SUM(CASE WHEN j.value = 'yes' THEN 1 ELSE 0 END) AS yes,"
        " SUM(CASE WHEN j.value = 'no' THEN 1 ELSE 0 END) AS no,"
        " SUM(CASE WHEN j.value = 'na' THEN 1 ELSE 0 END) AS na"
        f" FROM review r CROSS JOIN {each}{cond}"
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
