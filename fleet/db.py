"""Open and close the fleet database, bringing its schema up to date."""

import logging

from tortoise import Tortoise

from fleet import migrate
from fleet.settings import dialect_of

log = logging.getLogger("fleet.db")

# Every capability package that has tables; one tortoise app ("models") holds them all.
MODELS = [
    "fleet.hierarchy.models",
    "fleet.devices.models",
    "fleet.recordings.models",
    "fleet.alerts.models",
    "fleet.office.models",
    "fleet.notify.models",
    "fleet.updates.models",
    "fleet.leases.models",
    "fleet.reviews.models",
    "fleet.surveys.models",
    "fleet.content.models",
]


def sqlite_url(path: str) -> str:
    """A tortoise URL for an SQLite file (created if missing)."""
    return f"sqlite://{path}"


async def open_db(url: str, apply_migrations: bool = True) -> list[str]:
    """Connect to ``url`` (``sqlite://PATH`` or ``postgres://...``) and apply the schema
    migrations it lacks (``fleet/migrations/``); return the migrations applied."""
    dialect = dialect_of(url)
    # The global fallback lets aiohttp's request tasks, which do not inherit the context
    # of the startup task, use the connection opened here.
    #
    # The connection is named after the backend: tortoise caches each model's INSERT statement
    # per connection name, so one name shared by SQLite and PostgreSQL in the same process
    # (tests run both) would send SQLite's `?` placeholders to PostgreSQL.
    connection = "fleet_" + url.split(":", 1)[0].replace("+", "_")
    config = {
        "connections": {connection: url},
        "apps": {
            migrate.APP: {"models": [*MODELS, "aerich.models"], "default_connection": connection}
        },
    }
    await Tortoise.init(config=config, _enable_global_fallback=True)
    if not apply_migrations:
        return []
    applied = await migrate.upgrade(config, dialect)
    for name in applied:
        log.info("database migrated: %s", name)
    return applied


async def close_db() -> None:
    """Close every connection opened by :func:`open_db`."""
    await Tortoise.close_connections()
