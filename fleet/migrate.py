"""Schema migrations with aerich: apply them at start, and write new ones when models change.

SQL differs between SQLite and PostgreSQL, so each dialect has its own folder of migrations
(``fleet/migrations/<dialect>/models/``), both generated from the same models by
:func:`make_migrations`. :func:`upgrade` applies what a database has not had yet, each
migration in its own transaction, and records it in aerich's ``aerich`` table.

The first migration creates tables with ``IF NOT EXISTS``, so a database made by earlier
versions (which created tables directly) is adopted rather than refused.
"""

from pathlib import Path
from typing import Any

from aerich import Command
from aerich.migrate import Migrate
from tortoise import Tortoise

APP = "models"
MIGRATIONS = Path(__file__).parent / "migrations"
DIALECTS = ("sqlite", "postgres")

# A URL per dialect for writing migrations: aerich needs a connection object of the dialect
# to render its SQL, but writes migrations offline (nothing is queried or changed).
_OFFLINE_URLS = {"sqlite": "sqlite://:memory:", "postgres": "postgres://localhost:5432/offline"}


def location(dialect: str) -> Path:
    """The folder holding ``dialect``'s migrations (aerich adds the app name below it)."""
    if dialect not in DIALECTS:
        raise ValueError(f"no migrations for database dialect {dialect!r} (have {DIALECTS})")
    return MIGRATIONS / dialect


def _fresh_migrate_state() -> None:
    # aerich keeps what it computed in class attributes; start every run from nothing.
    for name in (
        "upgrade_operators",
        "downgrade_operators",
        "_upgrade_fk_m2m_index_operators",
        "_downgrade_fk_m2m_index_operators",
        "_upgrade_m2m",
        "_downgrade_m2m",
    ):
        setattr(Migrate, name, [])
    Migrate._rename_fields = {}
    Migrate._rename_models = {}
    Migrate._last_version_content = None


async def upgrade(config: dict[str, Any], dialect: str) -> list[str]:
    """Apply the migrations ``config``'s database lacks (Tortoise already initialised with
    ``config``, which must include ``aerich.models``); return the files applied."""
    _fresh_migrate_state()
    command = Command(config, app=APP, location=str(location(dialect)))
    await command.init()
    applied: list[str] = await command.upgrade(run_in_transaction=True)
    return applied


def _config(url: str, models: list[str]) -> dict[str, Any]:
    return {
        "connections": {"migrations": url},
        "apps": {APP: {"models": [*models, "aerich.models"], "default_connection": "migrations"}},
    }


async def make_migrations(
    name: str, models: list[str], folder: Path | None = None
) -> dict[str, str | None]:
    """Write a migration per dialect for what changed in ``models`` since the last one (the
    first one creates everything). Returns each dialect's new file name, or None where nothing
    changed. ``folder`` replaces ``fleet/migrations`` (tests check the models against a copy).
    """
    written: dict[str, str | None] = {}
    for dialect in DIALECTS:
        where = (folder or MIGRATIONS) / dialect
        config = _config(_OFFLINE_URLS[dialect], models)
        _fresh_migrate_state()
        try:
            await Tortoise.init(config=config)
            command = Command(config, app=APP, location=str(where))
            if not any(Migrate.get_migration_dir(str(where), APP).glob("0_*.py")):
                await command.init_migrations(safe=True)
                first = Migrate.get_last_version_file()
                written[dialect] = f"{first}.py" if first else None
            else:
                await command.init(offline=True)
                version = await command.migrate(name, no_input=True, offline=True)
                written[dialect] = version or None
        finally:
            await Tortoise.close_connections()
            await Tortoise._reset_apps()
    return written
