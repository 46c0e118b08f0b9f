"""Bringing up a badge, end to end, as at the bench: build the firmware, flash it with its
provisioning bundle through ``crmsensor badge flash`` (esptool over the rig's serial port),
boot what was flashed, connect to a real Mosquitto with the certificate it was provisioned
with, show up online in the fleet, record while worn, upload on charge; the fleet's copy
matches the badge's byte for byte."""

import asyncio
import hashlib
from pathlib import Path

from devtools.sim import scenario
from fleet.app import start_app
from fleet.devices.models import Device, Event
from fleet.devices.registry import DeviceSpec
from fleet.recordings.models import Recording
from fleet.state import LINK
from hil_tests.dut import Dut
from tests.conftest import eventually
from tests.tls_site import fleet_settings, provisioned_site

DEV = "badge-0001"


async def test_build_flash_boot_connect_record_upload(
    dut: Dut, micropython_bin: Path, tmp_path: Path
) -> None:
    settings = {"tele_interval_s": 1, "keepalive_s": 10}
    devices = [(DeviceSpec(DEV, "badge", "st-1"), settings)]
    async with provisioned_site(tmp_path / "site", devices) as site:
        runner, app, _url = await start_app(fleet_settings(site))
        try:
            await asyncio.wait_for(app[LINK].connected.wait(), 10)
            # Worn while its wearer talks, then put down; the charger comes on later.
            world = scenario.build(
                tmp_path / "world", [("desk_up", 2.0), ("still", 12.0), ("desk_up", 6.0)],
                None, speed=4.0, extra={"control": "control.json"},
            )  # fmt: skip
            dut.inject(world)

            dut.reset(download=True)
            flashed = await asyncio.to_thread(
                dut.flash, micropython_bin, site.bundle(DEV), tmp_path / "build"
            )
            assert flashed.returncode == 0, flashed.stdout + flashed.stderr
            assert "1 flashed, 0 failed" in flashed.stderr

            dut.reset()  # boots from flash
            await asyncio.to_thread(dut.expect, r"boot: vfs partition mounted", 20)
            await asyncio.to_thread(dut.expect, rf"badge {DEV} starting on board", 30)

            async def online() -> bool:
                return await Device.filter(id=DEV, online=True).exists()

            await eventually(online, timeout=30)
            device = await Device.get(id=DEV)
            assert device.cert_fingerprint == site.ca.valid_for(DEV)[0].fingerprint
            assert f"u'{DEV}'" in site.broker.config.log_file.read_text()  # its certificate's CN

            # it recorded while worn (its events reach the fleet); then it goes on charge
            async def recorded() -> bool:
                return await Event.filter(device_id=DEV, type="rec_stop").exists()

            await eventually(recorded, timeout=40)
            assert not await Recording.filter(device_id=DEV).exists()  # not yet charging
            dut.charger(True)
            rec = await eventually(lambda: Recording.filter(device_id=DEV).first(), timeout=60)
            local = (world.folder / "sd" / f"{rec.rec_id}.wav").read_bytes()
            assert hashlib.sha256(local).hexdigest() == rec.sha256 and rec.size == len(local)

            # a power cycle boots the same flash again (what the firmware wrote there kept)
            dut.power(False)
            dut.power(True)
            await asyncio.to_thread(
                dut.expect, rf"(?s)badge {DEV} starting.*badge {DEV} starting", 30
            )
        finally:
            await runner.cleanup()
