"""Schema migrations (aerich): a fresh database, a database made before migrations existed, and
migrations that match the models, on SQLite and PostgreSQL."""

import importlib.util
import shutil
from pathlib import Path

from tortoise import Tortoise

from fleet import migrate
from fleet.db import MODELS, close_db, open_db


def _model_tables() -> list[str]:
    apps = Tortoise.apps
    assert apps is not None
    return sorted(m._meta.db_table for m in apps.get_models_iterable() if m._meta.db_table)


async def _count_rows(tables: list[str]) -> dict[str, int]:
    apps = Tortoise.apps
    assert apps is not None
    counts = {}
    for model in apps.get_models_iterable():
        counts[model._meta.db_table] = await model.all().count()
    return {t: counts[t] for t in tables}


async def test_fresh_database_gets_every_migration_once(fleet_db_url: str) -> None:
    applied = await open_db(fleet_db_url)
    try:
        assert applied == [p.name for p in _files("sqlite")]
        tables = _model_tables()
        assert "aerich" in tables and "device" in tables and "recording" in tables
        # Every table the models name exists and can be queried.
        assert set((await _count_rows(tables)).keys()) == set(tables)
    finally:
        await close_db()
    again = await open_db(fleet_db_url)
    await close_db()
    assert again == [], f"migrations applied twice: {again}"


def _files(dialect: str) -> list[Path]:
    # in the order aerich applies them: by number (10 after 9, not after 1)
    return sorted(migrate.location(dialect).glob("models/*_*.py"),
                  key=lambda p: int(p.name.split("_", 1)[0]))  # fmt: skip


def test_each_dialect_has_the_same_migrations() -> None:
    sqlite = [p.name for p in _files("sqlite")]
    postgres = [p.name for p in _files("postgres")]
    assert sqlite, "no migrations in fleet/migrations/sqlite"
    assert sqlite == postgres


async def test_database_made_before_migrations_is_adopted(fleet_db_url: str) -> None:
    # What earlier versions did: create the tables directly, with no aerich table. Their
    # schema is the first migration's (later migrations add to it).
    await open_db(fleet_db_url, apply_migrations=False)
    try:
        dialect = "postgres" if fleet_db_url.startswith("postgres") else "sqlite"
        first = _files(dialect)[0]
        spec = importlib.util.spec_from_file_location("first_migration", first)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        conn = Tortoise.get_connection("fleet_" + fleet_db_url.split(":", 1)[0].replace("+", "_"))
        await conn.execute_script(await module.upgrade(conn))
        from fleet.hierarchy.models import Station

        await Station.create(id="st-1", name="North", timezone="UTC", opening_hours="06:00-22:00")
    finally:
        await close_db()
    applied = await open_db(fleet_db_url)
    try:
        assert applied == [p.name for p in _files(dialect)]
        from fleet.hierarchy.models import Station

        assert await Station.filter(id="st-1").exists(), "adopting the database lost a row"
    finally:
        await close_db()


async def test_migrations_match_the_models(tmp_path: Path) -> None:
    """A model change without a migration fails here: `crmsensor fleet makemigrations NAME`."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy)
    written = await migrate.make_migrations("check", MODELS, folder=copy)
    assert written == {"sqlite": None, "postgres": None}, (
        "the models (fleet/*/models.py) changed without a migration; run "
        f"`crmsensor fleet makemigrations NAME` and commit the files (would write {written})"
    )
