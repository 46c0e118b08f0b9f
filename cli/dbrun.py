"""Running one piece of database work from a command: open, migrate, work, close."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from fleet.db import close_db, open_db

T = TypeVar("T")

DB_OPTION = click.option(
    "--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True,
    help="Database URL: sqlite://PATH or postgres://user@host/db.",
)  # fmt: skip


def run_db(db_url: str, work: Callable[[], Awaitable[T]]) -> T:
    """Open the database at ``db_url`` (bringing its schema up to date), run ``work``, close
    it; return what ``work`` returned."""

    async def go() -> T:
        await open_db(db_url)
        try:
            return await work()
        finally:
            await close_db()

    return asyncio.run(go())
