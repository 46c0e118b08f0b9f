"""``crmsensor fleet org|region|station|device``: the organisation -> region -> station
hierarchy and devices' places in it, at the console (the same functions as the API)."""

from datetime import UTC, datetime
from pathlib import Path

import click

from cli.dbrun import DB_OPTION, run_db
from crmsensor.errors import ConfigError
from fleet.devices import registry
from fleet.hierarchy import stations
from fleet.hierarchy.models import Organisation, Region


@click.group("org")
def org_group() -> None:
    """Organisations (chains of stations)."""


@org_group.command("add")
@click.argument("name")
@DB_OPTION
def org_add_cmd(name: str, db_url: str) -> None:
    """Add an organisation; prints its id."""
    org = run_db(db_url, lambda: stations.create_organisation(name))
    click.echo(f"organisation {org.id}: {org.name}")


@org_group.command("rename")
@click.argument("org_id", type=int)
@click.argument("name")
@DB_OPTION
def org_rename_cmd(org_id: int, name: str, db_url: str) -> None:
    """Rename an organisation."""

    async def go() -> None:
        org = await Organisation.get_or_none(id=org_id)
        if org is None:
            raise ConfigError(f"no organisation {org_id}")
        await stations.rename_organisation(org, name)

    run_db(db_url, go)
    click.echo(f"organisation {org_id}: {name}")


@click.group("region")
def region_group() -> None:
    """Regions inside organisations."""


@region_group.command("add")
@click.argument("name")
@click.option("--org", "org_id", type=int, required=True, help="The organisation's id.")
@DB_OPTION
def region_add_cmd(name: str, org_id: int, db_url: str) -> None:
    """Add a region; prints its id."""
    region = run_db(db_url, lambda: stations.save_region(None, name, org_id))
    click.echo(f"region {region.id}: {region.name} (organisation {org_id})")


@region_group.command("set")
@click.argument("region_id", type=int)
@click.option("--name", required=True)
@click.option("--org", "org_id", type=int, required=True, help="Its (new) organisation.")
@DB_OPTION
def region_set_cmd(region_id: int, name: str, org_id: int, db_url: str) -> None:
    """Rename a region or move it to another organisation."""

    async def go() -> None:
        region = await Region.get_or_none(id=region_id)
        if region is None:
            raise ConfigError(f"no region {region_id}")
        await stations.save_region(region, name, org_id)

    run_db(db_url, go)
    click.echo(f"region {region_id}: {name} (organisation {org_id})")


@click.group("station")
def station_group() -> None:
    """Stations and their place, time zone and opening hours."""


@station_group.command("set")
@click.argument("station_id")
@click.option("--name", default="")
@click.option("--region", "region_id", type=int, default=None, help="The region's id.")
@click.option("--tz", "timezone", default="UTC", show_default=True)
@click.option("--hours", "opening_hours", default="", help="HH:MM-HH:MM; empty: always open.")
@DB_OPTION
def station_set_cmd(
    station_id: str, name: str, region_id: int | None, timezone: str, opening_hours: str,
    db_url: str,
) -> None:  # fmt: skip
    """Add a station, or change (and move) one."""
    run_db(
        db_url,
        lambda: stations.save_station(station_id, name, region_id, timezone, opening_hours),
    )
    click.echo(f"station {station_id} saved")


@click.group("device")
def device_group() -> None:
    """Devices' places: move one to another station, or take one out of service."""


@device_group.command("move")
@click.argument("device_id")
@click.option("--station", required=True)
@DB_OPTION
def device_move_cmd(device_id: str, station: str, db_url: str) -> None:
    """Move a registered device to another station."""

    run_db(db_url, lambda: registry.move(device_id, station))
    click.echo(f"{device_id} is at {station}")


@device_group.command("decommission")
@click.argument("device_id")
@click.option(
    "--ca-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The fleet CA, to revoke the device's certificates (passphrase prompted).",
)
@DB_OPTION
def device_decommission_cmd(device_id: str, ca_dir: Path | None, db_url: str) -> None:
    """Take a device out of service: its messages are refused, its ACL entry goes at the
    fleet's next ACL sync, and with --ca-dir its certificates are revoked. History is kept."""
    changed = run_db(db_url, lambda: registry.decommission(device_id, datetime.now(UTC)))
    click.echo(f"{device_id} decommissioned" if changed else f"{device_id}: nothing to do")
    if ca_dir is not None:
        from cli.fleet import ca_passphrase
        from fleet.identity.ca import FleetCA

        revoked = FleetCA.open(ca_dir, ca_passphrase()).revoke_name(
            device_id, "cessation_of_operation"
        )
        click.echo(f"revoked {len(revoked)} certificate(s)")
