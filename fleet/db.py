"""Open and close the fleet database."""

from collections.abc import Iterable
from types import ModuleType

from tortoise import Tortoise

MODELS: dict[str, Iterable[str | ModuleType]] = {"models": ["fleet.models"]}


def sqlite_url(path: str) -> str:
    """A tortoise URL for an SQLite file (created if missing)."""
    return f"sqlite://{path}"


async def open_db(url: str, create_schema: bool = True) -> None:
    """Connect to ``url`` (``sqlite://PATH`` or ``postgres://...``) and create missing tables.

    Schema migrations (aerich) arrive with the fleet-core issue; until then missing tables are
    created and existing ones are left as they are.
    """
    # The global fallback lets aiohttp's request tasks, which do not inherit the context
    # of the startup task, use the connection opened here.
    #
    # The connection is named after the backend: tortoise caches each model's INSERT statement
    # per connection name, so one name shared by SQLite and PostgreSQL in the same process
    # (tests run both) would send SQLite's `?` placeholders to PostgreSQL.
    connection = "fleet_" + url.split(":", 1)[0].replace("+", "_")
    config = {
        "connections": {connection: url},
        "apps": {"models": {"models": MODELS["models"], "default_connection": connection}},
    }
    await Tortoise.init(config=config, _enable_global_fallback=True)
    if create_schema:
        await Tortoise.generate_schemas(safe=True)


async def close_db() -> None:
    """Close every connection opened by :func:`open_db`."""
    await Tortoise.close_connections()
