"""Any table of the web office as a file: CSV (streamed as it is read) or XLSX (openpyxl's
write-only workbook, built in a worker thread). Rows come from an async iterator of batches,
so an export of 100,000 rows never holds more than a batch of ORM objects at once.

A spreadsheet holds at most 1,048,576 rows: a longer XLSX export is refused before anything
is sent (409, naming the count), CSV has no such limit.
"""

import asyncio
import csv
import io
import re
import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from fleet.office.guard import principal_of
from fleet.sql_reports import Filter
from fleet.webapi import Param, conflict

FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # one line for the header
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA = re.compile(r"^[=+\-@\t\r]")
# a report endpoint's ``format`` parameter and its responses
FORMAT = Param("format", str, "json, or a file: csv or xlsx", choices=("json", *FORMATS))
FILE = {
    "200": {"description": "The table: JSON, or a CSV or XLSX file (`format`)"},
    "409": {"description": "since not before until, a span too long for the period, or too "
                           "many rows for a spreadsheet (the JSON `error` says which)"},
}  # fmt: skip


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: text that a spreadsheet would run as a formula is
    quoted (CSV injection), times in UTC without zone (XLSX has none), lists as text."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list | tuple | dict):
        return str(value)
    return value


def _filename(name: str, fmt: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return f"{re.sub(r'[^a-z0-9_-]', '-', name.lower())}-{stamp}.{fmt}"


async def send(
    request: web.Request,
    name: str,
    fmt: str,
    columns: Sequence[str],
    batches: AsyncIterator[list[Sequence[Any]]],
    count: int,
) -> web.StreamResponse:
    """Send ``count`` rows (read batch by batch from ``batches``) as ``name.csv``/``.xlsx``."""
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        raise conflict(f"{count} rows do not fit a spreadsheet ({XLSX_MAX_ROWS} at most): "
                       "narrow the period or export CSV")  # fmt: skip
    headers = {"Content-Disposition": f'attachment; filename="{_filename(name, fmt)}"'}
    if fmt == "csv":
        resp = web.StreamResponse(headers={**headers, "Content-Type": "text/csv; charset=utf-8"})
        await resp.prepare(request)
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        async for batch in batches:
            writer.writerows([[cell(v) for v in row] for row in batch])
            await resp.write(buf.getvalue().encode())
            buf.seek(0)
            buf.truncate()
        await resp.write(buf.getvalue().encode())
        await resp.write_eof()
        return resp
    return await _xlsx(request, headers, name, columns, batches)


async def _xlsx(
    request: web.Request,
    headers: dict[str, str],
    name: str,
    columns: Sequence[str],
    batches: AsyncIterator[list[Sequence[Any]]],
) -> web.StreamResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=name[:31] or "export")
    sheet.append(list(columns))
    async for batch in batches:
        rows = [[cell(v) for v in row] for row in batch]
        await asyncio.to_thread(lambda r=rows: [sheet.append(x) for x in r])  # type: ignore[misc]
    with tempfile.TemporaryFile() as f:
        await asyncio.to_thread(book.save, f)
        size = f.tell()
        f.seek(0)
        resp = web.StreamResponse(
            headers={**headers, "Content-Type": XLSX_TYPE, "Content-Length": str(size)}
        )
        await resp.prepare(request)
        while chunk := await asyncio.to_thread(f.read, 1 << 16):
            await resp.write(chunk)
    await resp.write_eof()
    return resp


async def report_filter(
    request: web.Request, p: dict[str, Any], section: str, days: int = 90
) -> Filter:
    """A report's period (``since``/``until``, the last ``days`` by default) and the stations
    the caller may view in ``section``; 409 for a period that ends before it starts."""
    until = p["until"] or datetime.now(UTC)
    since = p["since"] or until - timedelta(days=days)
    if since >= until:
        raise conflict("since must be before until")
    stations = await principal_of(request).stations(section, "view")
    return Filter(since, until, stations, p.get("station"))


async def table(
    request: web.Request, fmt: str, name: str, rows: list[dict[str, Any]]
) -> web.StreamResponse:
    """Rows (dicts with the same keys) as JSON ``{"items": [...]}``, or a CSV or XLSX file."""
    if fmt == "json":
        return web.json_response({"items": rows})
    columns = list(rows[0]) if rows else ["(no rows)"]

    async def one() -> AsyncIterator[list[Sequence[Any]]]:
        yield [[r[c] for c in columns] for r in rows]

    return await send(request, name, fmt, columns, one(), len(rows))
