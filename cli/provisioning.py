"""``crmsensor badge provision`` and ``crmsensor kiosk provision``: one command at the bench."""

import asyncio
from pathlib import Path
from typing import Any

import click

from cli.fleet import CA_DIR_OPTION, ca_passphrase
from crmsensor.errors import ConfigError
from fleet.db import close_db, open_db
from fleet.devices.registry import DeviceSpec
from fleet.identity.ca import FleetCA
from fleet.identity.provision import Broker, provision
from fleet.settings import host_port


def provision_command(kind: str) -> click.Command:
    """The provision command for ``kind`` (badge or kiosk)."""

    @click.command("provision")
    @click.argument("device_id")
    @click.option("--station", required=True, help="Station the device works at.")
    @click.option("--hw", default="", help="Hardware revision.")
    @click.option("--broker", "broker", required=True, help="MQTT broker HOST:PORT (TLS).")
    @click.option("--server-name", default="", help="Name in the broker's certificate.")
    @click.option("--wifi-ssid", default="", help="Wi-Fi network (badges).")
    @click.option("--wifi-password", default="", help="Wi-Fi passphrase (badges: `wifi.psk`).")
    @click.option(
        "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path)
    )
    @CA_DIR_OPTION
    @click.option("--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True)
    def cmd(
        device_id: str,
        station: str,
        hw: str,
        broker: str,
        server_name: str,
        wifi_ssid: str,
        wifi_password: str,
        out_dir: Path,
        ca_dir: Path,
        db_url: str,
    ) -> None:
        """Register DEVICE_ID, issue its certificate (revoking older ones) and write its
        config bundle into OUT; run `crmsensor broker acl` afterwards so the broker knows."""
        try:
            host, port = host_port(broker, "--broker")
        except ConfigError as exc:
            raise click.BadParameter(str(exc), param_hint="--broker") from None
        settings: dict[str, Any] = {}
        if wifi_ssid:
            if kind != "badge":
                raise click.BadParameter(
                    "only badges take Wi-Fi settings", param_hint="--wifi-ssid"
                )
            settings["wifi"] = {"ssid": wifi_ssid, "psk": wifi_password}  # device_config.py
        ca = FleetCA.open(ca_dir, ca_passphrase())

        async def go() -> Any:
            await open_db(db_url)
            try:
                return await provision(
                    ca,
                    DeviceSpec(device_id, kind, station, hw),
                    out_dir,
                    Broker(host, port, server_name),
                    settings,
                )
            finally:
                await close_db()

        done = asyncio.run(go())
        rotated = f", revoked {len(done.revoked)} older" if done.revoked else ""
        click.echo(
            f"provisioned {kind} {device_id}: {done.config} (certificate {done.serial:x}{rotated})"
        )

    return cmd
