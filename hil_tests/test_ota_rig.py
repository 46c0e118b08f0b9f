"""The update on a flashed badge: build and flash the firmware with its provisioning bundle
(and the release keys it trusts) through ``crmsensor badge flash``, boot it, then update it
over the air from the fleet, downloading over HTTPS (the fleet's certificate checked against
the fleet CA): the new app lands in an update slot of the very flash esptool wrote, the badge
resets into it on trial, keeps it, and boots it again after a power cycle."""

import asyncio
import json
import shutil
from pathlib import Path

from crmsensor import release_keys as rk
from devtools.fwtools.bundle import app_bundle
from fleet.app import start_app
from fleet.devices.models import Device
from fleet.devices.registry import DeviceSpec
from fleet.settings import HttpTls, UpdateSettings
from fleet.state import LINK, OBJECTS
from fleet.updates import releases
from fleet.updates.models import DeviceUpdate
from hil_tests.dut import Dut
from tests.conftest import eventually
from tests.tls_site import fleet_settings, provisioned_site

DEV = "badge-0001"
PASS = b"correct horse battery"


async def test_flash_then_update_over_the_air(
    dut: Dut, micropython_bin: Path, tmp_path: Path
) -> None:
    key = rk.new_key(tmp_path / "release.pem", PASS)
    trusted = tmp_path / "trusted_keys.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    settings = {"tele_interval_s": 1, "keepalive_s": 10}
    async with provisioned_site(
        tmp_path / "site", [(DeviceSpec(DEV, "badge", "st-1"), settings)]
    ) as site:
        shutil.copy(trusted, site.bundle(DEV) / "trusted_keys.json")  # flashed with the bundle
        # The fleet serves HTTPS with a certificate from the fleet CA, which the badge checks
        https = tmp_path / "https"
        https.mkdir()
        site.ca.issue("server", "fleet-web", hosts=["127.0.0.1"]).save(
            https / "web.crt", https / "web.key"
        )
        web_tls = HttpTls(str(https / "web.crt"), str(https / "web.key"))
        runner, app, url = await start_app(
            fleet_settings(site, updates=UpdateSettings(str(trusted)), http_tls=web_tls)
        )
        assert url.startswith("https://")
        try:
            await asyncio.wait_for(app[LINK].connected.wait(), 10)
            dut.reset(download=True)
            flashed = await asyncio.to_thread(
                dut.flash, micropython_bin, site.bundle(DEV), tmp_path / "build"
            )
            assert flashed.returncode == 0, flashed.stdout + flashed.stderr
            dut.reset()
            await asyncio.to_thread(
                dut.expect, rf"badge {DEV} starting on board .* factory app", 30
            )
            await eventually(lambda: Device.filter(id=DEV, online=True, fw="0.1.0").exists(), 30)

            bundle = tmp_path / "app-0.2.0.tar"
            bundle.write_bytes(app_bundle("0.2.0", dut.arch, trusted))
            body, sig = rk.sign_release(bundle, key, version="0.2.0", kind="badge-app",
                                        hw=["badge-r1"], min_version="0.1.0")  # fmt: skip
            release = await releases.store_release(
                app[OBJECTS], releases.trusted_keys(str(trusted)), body, sig, bundle, "bench"
            )
            device = await Device.get(id=DEV)
            update = await releases.deliver(device, release, url.rstrip("/"), 600)

            async def outcome() -> DeviceUpdate | None:
                row = await DeviceUpdate.get(id=update.id)
                return row if row.state in ("healthy", "rolled_back", "error") else None

            row = await eventually(outcome, timeout=90)
            assert (row.state, row.reason) == ("healthy", ""), dut.console()[-3000:]
            await asyncio.to_thread(dut.expect, r"(?s)0.2.0 slot a, on trial.*ota: healthy", 10)
            await eventually(lambda: Device.filter(id=DEV, fw="0.2.0").exists(), 30)

            # a power cycle boots the kept slot from the flash again
            dut.power(False)
            dut.power(True)
            await asyncio.to_thread(
                dut.expect,
                rf"(?s)ota: healthy.*booting from flash.*{DEV} starting .* 0.2.0 slot a\n",
                30,
            )
        finally:
            await runner.cleanup()
