"""What the capabilities' reports share: one grouped SQL query each, on SQLite and on
PostgreSQL. A report's filter (period and scope), its WHERE clause with the dialect's
placeholders, and the dialect's calendar buckets (UTC days, ISO weeks from Monday, months)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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


class Params:
    """The placeholders of one statement in ``dialect`` and their values, in order (SQLite's
    ``?`` are positional: ask for them in the order they appear in the text)."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.values: list[Any] = []

    def __call__(self, v: Any) -> str:
        self.values.append(v)
        return f"${len(self.values)}" if self.dialect == "postgres" else "?"

    def time(self, t: datetime) -> str:
        # tortoise keeps SQLite's times as ISO text with a space
        return self(t if self.dialect == "postgres" else t.isoformat(" "))

    def day(self, d: date) -> str:
        return self(d if self.dialect == "postgres" else d.isoformat())


def scope(f: Filter, station: str, arg: Params) -> str:
    """The `` AND`` conditions of ``f``'s stations on the column ``station``."""
    sql = ""
    if f.station:
        sql += f" AND {station} = {arg(f.station)}"
    if f.stations is not None:
        allowed = sorted(f.stations)
        if not allowed:
            return sql + " AND 1 = 0"
        sql += f" AND {station} IN ({', '.join(arg(s) for s in allowed)})"
    return sql


def where(f: Filter, dialect: str, column: str, station: str) -> tuple[str, list[Any]]:
    """`` WHERE`` over ``column``'s period and ``station``'s scope, and its values."""
    arg = Params(dialect)
    sql = f" WHERE {column} >= {arg.time(f.since)} AND {column} < {arg.time(f.until)}"
    return sql + scope(f, station, arg), arg.values


def first_day(dialect: str, period: str, column: str) -> str:
    """The SQL of the first day (a date) of ``column``'s UTC day, ISO week or month: what
    :func:`first_day_of` gives in Python."""
    if dialect == "postgres":
        return f"CAST(date_trunc('{period}', {column} AT TIME ZONE 'UTC') AS DATE)"
    return {
        "day": f"date({column})",
        "week": f"date({column}, 'weekday 0', '-6 days')",
        "month": f"date({column}, 'start of month')",
    }[period]


def first_day_of(period: str, d: date) -> date:
    """The first day of the day, ISO week (Monday) or month ``d`` is in."""
    if period == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1) if period == "month" else d


def next_first_day(period: str, d: date) -> date:
    """The first day of the period after the one that starts on ``d``."""
    if period == "month":
        return (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return d + timedelta(days=7 if period == "week" else 1)
