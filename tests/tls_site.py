"""A provisioned site for end-to-end tests on the `tls` broker profile: a fleet CA, devices
provisioned into the registry (each with its bundle folder), a Mosquitto that lets only them
and the fleet in. Used by tests/test_tls_e2e.py and the hardware-in-the-loop tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.broker import MosquittoProcess, free_port, render_config
from fleet.db import close_db, open_db, sqlite_url
from fleet.devices.registry import DeviceSpec, known_ids
from fleet.identity.broker_access import broker_tls_files, fleet_identity
from fleet.identity.ca import FleetCA, PassphraseKeyStore
from fleet.identity.provision import Broker, provision
from fleet.settings import FleetSettings


@dataclass
class Site:
    ca: FleetCA
    broker: MosquittoProcess
    db_url: str
    folder: Path

    def bundle(self, device_id: str) -> Path:
        """The provisioning bundle folder of ``device_id``."""
        return self.folder / device_id


@asynccontextmanager
async def provisioned_site(
    folder: Path, devices: list[tuple[DeviceSpec, dict[str, Any]]]
) -> AsyncIterator[Site]:
    """Provision ``devices`` (spec, settings for its config) and run a `tls` broker."""
    ca = FleetCA.create(folder / "ca", PassphraseKeyStore("a test passphrase"))
    db_url = sqlite_url(str(folder / "fleet.sqlite3"))
    port = free_port()
    await open_db(db_url)
    try:
        target = Broker("127.0.0.1", port)
        for spec, settings in devices:
            await provision(ca, spec, folder / spec.id, target, settings)
        ids = await known_ids()
    finally:
        await close_db()
    tls = broker_tls_files(ca, folder / "broker-tls", ["127.0.0.1", "localhost"], ids)
    broker = MosquittoProcess(render_config(folder / "broker", port, "tls", tls=tls))
    broker.start()
    try:
        yield Site(ca, broker, db_url, folder)
    finally:
        broker.stop()


def fleet_settings(site: Site, **more: Any) -> FleetSettings:
    """A fleet on the site's database and broker, with its own certificate."""
    return FleetSettings(
        db_url=site.db_url,
        broker_port=site.broker.config.port,
        http_port=0,
        objects_dir=site.folder / "objects",
        broker_tls=fleet_identity(site.ca, site.folder / "fleet-tls"),
        **more,
    )
