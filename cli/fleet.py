"""``crmsensor fleet``: the fleet manager."""

import asyncio

import click

from fleet.db import close_db, open_db
from fleet.registry import DeviceSpec, register
from fleet.service import serve
from fleet.settings import FleetSettings

_DB_HELP = "Database URL: sqlite://PATH or postgres://user@host/db."


@click.group("fleet")
def group() -> None:
    """Run the fleet manager and manage its device registry."""


@group.command("serve")
@click.option(
    "--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True, help=_DB_HELP
)
@click.option(
    "--broker", "broker", default="127.0.0.1:1883", show_default=True, help="MQTT broker HOST:PORT."
)
@click.option(
    "--http", "http", default="127.0.0.1:8080", show_default=True, help="Listen on HOST:PORT."
)
@click.option(
    "--share-group", default=None, help="MQTT shared-subscription group (several instances)."
)
def serve_cmd(db_url: str, broker: str, http: str, share_group: str | None) -> None:
    """Serve the fleet manager until Ctrl-C."""
    bhost, bport = _host_port(broker, "--broker")
    hhost, hport = _host_port(http, "--http")
    settings = FleetSettings(
        db_url=db_url,
        broker_host=bhost,
        broker_port=bport,
        http_host=hhost,
        http_port=hport,
        share_group=share_group,
    )
    asyncio.run(serve(settings, click.echo))


@group.command("register")
@click.argument("device_id")
@click.option("--kind", type=click.Choice(["badge", "kiosk"]), required=True)
@click.option("--station", default="", help="Station the device belongs to.")
@click.option("--hw", default="", help="Hardware revision.")
@click.option(
    "--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True, help=_DB_HELP
)
def register_cmd(device_id: str, kind: str, station: str, hw: str, db_url: str) -> None:
    """Add a device to the registry (provisioning with certificates comes later)."""

    async def go() -> None:
        await open_db(db_url)
        try:
            await register(DeviceSpec(device_id, kind, station, hw))
        finally:
            await close_db()

    asyncio.run(go())
    click.echo(f"registered {kind} {device_id}")


def _host_port(value: str, option: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise click.BadParameter(f"expected HOST:PORT, got {value!r}", param_hint=option)
    return host, int(port)
