"""Bulk writes for the ingest hot path: few statements per batch, no model objects.

Tortoise's ``bulk_create`` builds a model instance per row, which costs more than the database
work at ingest rates. These helpers build the SQL with tortoise's own query builder and
parameter style (``?`` on SQLite, ``$n`` on PostgreSQL) and convert values with each field's
``to_db_value``, so rows read back exactly as if the ORM had written them.

On SQLite a batch goes out as multi-row statements (``INSERT ... VALUES (...), (...)`` and
``UPDATE ... FROM (VALUES ...)``), not ``executemany``: Python's sqlite3 module releases the GIL
around every row of an ``executemany`` and must win it back before the next, and while the
event loop is busy reading MQTT that costs up to a switch interval per row (measured: 185 us a
row against 16 us for multi-row statements with one busy thread). asyncpg's ``executemany``
runs on the loop's thread and has no such cost, so PostgreSQL keeps it.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pypika_tortoise.queries import Table
from tortoise import fields
from tortoise.models import Model

_SIZES = (1024, 256, 64, 16, 4, 1)  # rows per SQLite statement
_SQL: dict[tuple[Any, ...], str] = {}


# what an insert that may repeat a row adds: the row already there wins (a unique constraint
# names what repeats); the same words on SQLite (3.24+) and PostgreSQL
_KEEP_FIRST = " ON CONFLICT DO NOTHING"


def _single(kind: str, model: type[Model], columns: tuple[str, ...]) -> str:
    """The one-row statement, as tortoise would build it for this connection ("insert",
    "insert once": existing rows kept, or "update")."""
    db = model._meta.db
    key = (db.capabilities.dialect, kind, model.__name__, columns)
    sql = _SQL.get(key)
    if sql is None:
        executor = db.executor_class(model=model, db=db)
        table = Table(model._meta.db_table)
        names = [model._meta.fields_db_projection[c] for c in columns]
        if kind.startswith("insert"):
            params = [executor.parameter(i) for i in range(len(names))]
            query: Any = db.query_class.into(table).columns(*names).insert(*params)
        else:
            query = db.query_class.update(table)
            for i, name in enumerate(names):
                query = query.set(name, executor.parameter(i))
            pk = model._meta.fields_db_projection[model._meta.pk_attr]
            query = query.where(getattr(table, pk) == executor.parameter(len(names)))
        sql = query.get_sql() + (_KEEP_FIRST if kind == "insert once" else "")
        _SQL[key] = sql
    return sql


def _sqlite_multi(kind: str, model: type[Model], columns: tuple[str, ...], rows: int) -> str:
    """A statement for ``rows`` rows at once (SQLite)."""
    key = ("sqlite-multi", kind, model.__name__, columns, rows)
    sql = _SQL.get(key)
    if sql is None:
        width = len(columns) + (kind == "update")
        values = ",".join(["(" + ",".join("?" * width) + ")"] * rows)
        if kind.startswith("insert"):
            single = _single("insert", model, columns)
            sql = single[: single.rindex("VALUES")] + "VALUES " + values
            sql += _KEEP_FIRST if kind == "insert once" else ""
        else:
            table = model._meta.db_table
            pk = model._meta.fields_db_projection[model._meta.pk_attr]
            names = [model._meta.fields_db_projection[c] for c in columns]
            # VALUES columns are column1..columnN; column1 is the primary key.
            sets = ",".join(f'"{n}"="v"."column{i + 2}"' for i, n in enumerate(names))
            sql = (
                f'UPDATE "{table}" SET {sets} FROM (VALUES {values}) AS "v" '
                f'WHERE "{table}"."{pk}"="v"."column1"'
            )
        _SQL[key] = sql
    return sql


async def _write(
    kind: str, model: type[Model], cols: tuple[str, ...], values: list[list[Any]]
) -> None:
    db = model._meta.db
    if db.capabilities.dialect != "sqlite":
        await db.execute_many(_single(kind, model, cols), values)
        return
    # Rows go in statements of one of the _SIZES, so only a handful of statements per table
    # and column set are ever built and cached.
    start = 0
    for size in _SIZES:
        while len(values) - start >= size:
            part = values[start : start + size]
            flat = [v for row in part for v in row]
            await db.execute_query(_sqlite_multi(kind, model, cols, size), flat)
            start += size


def _converter(field: Any) -> Any:
    """``field.to_db_value``, with a shortcut for the two kinds that dominate ingest rows when
    nothing about the value needs checking: an aware datetime is stored as it is, and a dict
    or list in a JSON field without validators goes straight to the field's encoder (what
    ``to_db_value`` would do after finding nothing to check)."""
    full = field.to_db_value
    if isinstance(field, fields.DatetimeField) and not (field.auto_now or field.auto_now_add):

        def datetime_value(value: Any, model: Any) -> Any:
            if type(value) is datetime and value.tzinfo is not None and not field.validators:
                return value
            return full(value, model)

        return datetime_value
    if isinstance(field, fields.JSONField) and not field.validators:
        encode = field.encoder

        def json_value(value: Any, model: Any) -> Any:
            if type(value) is dict or type(value) is list:
                return encode(value)
            return full(value, model)

        return json_value
    return full


def _converters(model: type[Model], columns: Sequence[str]) -> list[Any]:
    key = (model, tuple(columns))
    found = _CONVERTERS.get(key)
    if found is None:
        fields_map = model._meta.fields_map
        found = _CONVERTERS[key] = [_converter(fields_map[c]) for c in columns]
    return found


_CONVERTERS: dict[tuple[Any, ...], list[Any]] = {}


async def insert_many(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], once: bool = False
) -> None:
    """``INSERT INTO model (columns) VALUES (...)`` for every row; ``once``: a row that would
    repeat one already stored (by a unique constraint) is left out."""
    cols = tuple(columns)
    convert = _converters(model, cols)
    values = [[f(v, model) for f, v in zip(convert, row, strict=True)] for row in rows]
    if values:
        await _write("insert once" if once else "insert", model, cols, values)


async def update_many(
    model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, Sequence[Any]]]
) -> None:
    """``UPDATE model SET columns = ... WHERE pk = ...`` for every ``(pk, values)`` row."""
    cols = tuple(columns)
    convert = _converters(model, cols)
    pk_convert = model._meta.pk.to_db_value
    if model._meta.db.capabilities.dialect == "sqlite":
        values = [
            [pk_convert(pk, model), *(f(v, model) for f, v in zip(convert, vals, strict=True))]
            for pk, vals in rows
        ]
    else:
        values = [
            [*(f(v, model) for f, v in zip(convert, vals, strict=True)), pk_convert(pk, model)]
            for pk, vals in rows
        ]
    if values:
        await _write("update", model, cols, values)
