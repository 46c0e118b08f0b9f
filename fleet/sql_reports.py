"""What the capabilities' reports share: one grouped SQL query each, on SQLite and on
PostgreSQL. A report's filter (period and scope), its WHERE clause with the dialect's
placeholders, and the dialect's calendar buckets (UTC days, ISO weeks from Monday, months)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.models import Model

PERIODS = ("all", "day", "week", "month")


@dataclass(frozen=True)
class Filter:
    since: datetime
    until: datetime
    stations: Iterable[str] | None = None  # None: all
    station: str | None = None


def dialect(model: type[Model]) -> tuple[Any, str]:
    """The connection of ``model``'s table and its dialect, ``postgres`` or ``sqlite``."""
    db = model._meta.db
    return db, ("postgres" if db.capabilities.dialect == "postgres" else "sqlite")


def truncate(dialect: str, period: str, column: str) -> str:
    """The SQL of ``column``'s period, to group by: a timestamp (PostgreSQL) or text (SQLite);
    '' for all time. Format it after grouping with :func:`label` (cheaper than per row)."""
    if period == "all":
        return "''"
    if dialect == "postgres":
        return f"date_trunc('{period}', {column} AT TIME ZONE 'UTC')"
    return {
        "day": f"date({column})",
        "week": f"date({column}, 'weekday 0', '-6 days')",
        "month": f"strftime('%Y-%m', {column})",
    }[period]


def label(dialect: str, period: str, truncated: str) -> str:
    """A :func:`truncate` value as text: YYYY-MM-DD (a day, a week's Monday), YYYY-MM (a
    month), '' (all time)."""
    if period == "all" or dialect != "postgres":
        return truncated
    return f"to_char({truncated}, '{'YYYY-MM' if period == 'month' else 'YYYY-MM-DD'}')"


def bucket(dialect: str, period: str, column: str) -> str:
    """The SQL of ``column``'s period as text, per row."""
    return label(dialect, period, truncate(dialect, period, column))


def where(f: Filter, dialect: str, column: str, station: str) -> tuple[str, list[Any]]:
    """`` WHERE`` over ``column``'s period and ``station``'s scope, and its values."""
    values: list[Any] = []

    def arg(v: Any) -> str:
        values.append(v)
        return f"${len(values)}" if dialect == "postgres" else "?"

    lo: Any = f.since
    hi: Any = f.until
    if dialect == "sqlite":  # tortoise keeps SQLite times as ISO text with a space
        lo, hi = lo.isoformat(" "), hi.isoformat(" ")
    sql = f" WHERE {column} >= {arg(lo)} AND {column} < {arg(hi)}"
    if f.station:
        sql += f" AND {station} = {arg(f.station)}"
    if f.stations is not None:
        allowed = sorted(f.stations)
        if not allowed:
            return sql + " AND 1 = 0", values
        sql += f" AND {station} IN ({', '.join(arg(s) for s in allowed)})"
    return sql, values
