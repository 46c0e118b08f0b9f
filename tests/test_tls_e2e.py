"""The system on the `tls` broker profile: devices provisioned at the bench (registry entry,
certificate, bundle), the real badge firmware and the kiosk agent connecting with their client
certificates, and the fleet with its own, all through a real Mosquitto that lets nobody else in."""

import asyncio
import hashlib
import subprocess
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_telemetry
from devtools import procs
from devtools.fwtools import flashimage
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices, scenario
from fleet.app import start_app
from fleet.db import close_db, open_db, sqlite_url
from fleet.devices.models import Command, Device, Telemetry
from fleet.devices.registry import DeviceSpec
from fleet.identity.ca import FleetCA, PassphraseKeyStore
from fleet.identity.provision import Broker, provision
from fleet.recordings.models import Recording
from fleet.settings import FleetSettings
from fleet.state import LINK
from tests.conftest import admin_token, eventually
from tests.tls_probe import Endpoint, Identity, connect
from tests.tls_site import Site, fleet_settings, provisioned_site


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    """A CA, a badge and a kiosk provisioned into the registry, a `tls` broker for them."""
    devices = [
        (DeviceSpec("badge-0001", "badge", "st-1"), {"tele_interval_s": 1, "keepalive_s": 10}),
        (DeviceSpec("kiosk-0001", "kiosk", "st-1"), {"tele_interval_s": 1}),
    ]
    async with provisioned_site(tmp_path, devices) as s:
        yield s


async def test_provisioned_devices_and_fleet_work_over_tls(site: Site) -> None:
    runner, app, _url = await start_app(fleet_settings(site))
    children: list[subprocess.Popen[bytes]] = []
    try:
        await asyncio.wait_for(app[LINK].connected.wait(), 10)
        # The badge boots from a flash image holding its bundle (DER identity), is worn while
        # its wearer talks, then goes on charge and uploads over TLS.
        flash = flashimage.write(
            flashimage.bundle_files(site.folder / "badge-0001"), site.folder / "flash.img"
        )
        world = scenario.build(
            site.folder / "world", [("desk_up", 2.0), ("still", 12.0), ("desk_up", 10.0)], 22.0,
            speed=4.0,
        )  # fmt: skip
        children.append(
            procs.spawn(
                devices.badge_command(scenario=world.path, flash=flash),
                site.folder / "badge.log",
                micropython_env(),
            )
        )
        kiosk_cfg = site.folder / "kiosk-0001" / "config.json"
        children.append(procs.spawn(devices.kiosk_command(kiosk_cfg), site.folder / "kiosk.log"))

        async def both_reporting() -> bool:
            n = await Telemetry.filter(device_id__in=["badge-0001", "kiosk-0001"]).count()
            online = await Device.filter(online=True).count()
            return n >= 2 and online == 2

        logs = lambda: [(site.folder / f).read_text() for f in ("badge.log", "kiosk.log")]  # noqa: E731
        try:
            await eventually(both_reporting, timeout=30)
        except AssertionError:
            raise AssertionError(f"devices did not report over TLS: {logs()}") from None
        log = site.broker.config.log_file.read_text()
        assert "u'badge-0001'" in log and "u'kiosk-0001'" in log and "u'fleet'" in log
        d = await Device.get(id="badge-0001")
        assert d.cert_fingerprint == site.ca.valid_for("badge-0001")[0].fingerprint
        rec = await eventually(lambda: Recording.filter(device_id="badge-0001").first(), timeout=40)
        local = (world.folder / "sd" / f"{rec.rec_id}.wav").read_bytes()
        assert hashlib.sha256(local).hexdigest() == rec.sha256 and rec.size == len(local)
    finally:
        for proc in children:
            procs.stop(proc)
        await runner.cleanup()


async def test_provisioning_again_rotates_the_key(tmp_path: Path) -> None:
    ca = FleetCA.create(tmp_path / "ca", PassphraseKeyStore("a test passphrase"))
    await open_db(sqlite_url(str(tmp_path / "fleet.sqlite3")))
    try:
        spec = DeviceSpec("badge-0042", "badge", "st-9", "badge-r2")
        first = await provision(ca, spec, tmp_path / "one", Broker("mqtt.example", 8883))
        second = await provision(ca, spec, tmp_path / "two", Broker("mqtt.example", 8883))
        assert second.revoked == [first.serial]
        crl = x509.load_pem_x509_crl(ca.crl_file.read_bytes())
        assert crl.get_revoked_certificate_by_serial_number(first.serial) is not None
        assert [e.serial for e in ca.valid_for("badge-0042")] == [second.serial]
        d = await Device.get(id="badge-0042")
        assert d.cert_fingerprint == second.fingerprint and d.hw == "badge-r2"
        assert (tmp_path / "two" / "key.der").stat().st_mode & 0o077 == 0
        assert (tmp_path / "one" / "key.der").read_bytes() != (
            tmp_path / "two" / "key.der"
        ).read_bytes()
    finally:
        await close_db()


async def test_fleet_keeps_the_broker_acl_in_step_with_the_registry(site: Site) -> None:
    """A device registered through the API gains access within seconds: the fleet rewrites
    the ACL and SIGHUPs the broker (the fleet runs on the broker's machine here)."""
    tls = site.broker.config.tls
    assert tls is not None
    newcomer = site.ca.issue("device", "badge-0077")
    newcomer.save(site.folder / "badge-0077.crt", site.folder / "badge-0077.key")
    settings = fleet_settings(
        site,
        broker_acl_file=tls.acl_file,
        broker_pid_file=site.broker.config.pid_file,
        acl_sync_s=0.2,
    )
    runner, app, url = await start_app(settings)
    auth = {"Authorization": f"Bearer {await admin_token()}"}
    try:
        await asyncio.wait_for(app[LINK].connected.wait(), 10)
        endpoint = Endpoint(
            site.broker.config.port,
            site.ca.cert_file,
            {
                "badge-0077": Identity(
                    site.folder / "badge-0077.crt", site.folder / "badge-0077.key"
                )
            },
        )
        probe = await asyncio.to_thread(connect, endpoint, "badge-0077")
        assert probe is not None
        async with aiohttp.ClientSession(headers=auth) as http:
            body = {"id": "badge-0077", "kind": "badge", "station": "st-1"}
            async with http.post(url + "api/v1/devices", json=body) as r:
                assert r.status == 201
        await eventually(lambda: "user badge-0077" in tls.acl_file.read_text(), timeout=10)

        async def stored() -> bool:
            await asyncio.to_thread(
                probe.publish,
                topic("badge-0077", Channel.TELE),
                encode_telemetry({"seq": 1, "uptime_s": 1}),
            )
            return await Telemetry.filter(device_id="badge-0077").exists()

        await eventually(stored, timeout=15, every=0.3)
        probe.close()
    finally:
        await runner.cleanup()


def _renewing_fleet(site: Site) -> FleetSettings:
    """A fleet keeping the broker's ACL and CRL and renewing devices."""
    return fleet_settings(
        site,
        broker_pid_file=site.broker.config.pid_file,
        broker_acl_file=site.broker.config.tls.acl_file if site.broker.config.tls else None,
        ca_dir=site.ca.folder,
        ca_passphrase="a test passphrase",
        renewal_s=0.3,
    )


async def test_badge_certificate_is_renewed_over_mqtt(site: Site) -> None:
    """The fleet renews a badge's certificate before it expires; the real firmware installs
    it, reconnects with it, and the old certificate is revoked and refused by the broker."""
    bundle = site.folder / "badge-0001"
    # The badge's certificate has 5 days left (inside the renewal window).
    site.ca.revoke_name("badge-0001")
    short = site.ca.issue("device", "badge-0001", days=5)
    (bundle / "cert.der").write_bytes(
        x509.load_pem_x509_certificate(short.cert_pem).public_bytes(Encoding.DER)
    )
    key = load_pem_private_key(short.key_pem, None)
    (bundle / "key.der").write_bytes(
        key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    )
    site.broker.reload()  # the broker learns of the revocation above
    old_der = (bundle / "cert.der").read_bytes()
    old_serial = x509.load_der_x509_certificate(old_der).serial_number
    runner, app, _url = await start_app(_renewing_fleet(site))
    badge = None
    try:
        await asyncio.wait_for(app[LINK].connected.wait(), 10)
        badge = procs.spawn(
            devices.badge_command(bundle / "config.json", devices.idle_scenario(site.folder / "w")),
            site.folder / "badge.log",
            micropython_env(),
        )  # fmt: skip

        async def renewed() -> Command | None:
            return await Command.get_or_none(op="renew_cert", state="done", ok=True)

        try:
            cmd = await eventually(renewed, timeout=30)
        except AssertionError:
            raise AssertionError((site.folder / "badge.log").read_text()) from None
        new_serial = int(cmd.args["serial"], 16)
        new_der = (bundle / "cert.der").read_bytes()
        assert new_der != old_der
        assert x509.load_der_x509_certificate(new_der).serial_number == new_serial

        # The fleet closes the renewal: the old certificate revoked, the key forgotten.
        async def closed() -> bool:
            c = await Command.get(id=cmd.id)
            return "key" not in c.args

        await eventually(closed, timeout=10)
        assert [e.serial for e in site.ca.valid_for("badge-0001")] == [new_serial]
        assert any(e.serial == old_serial and e.revoked_at for e in site.ca.entries())
        d = await Device.get(id="badge-0001")
        assert d.cert_fingerprint == site.ca.valid_for("badge-0001")[0].fingerprint

        # The badge carries on with its new identity.
        before = await Telemetry.filter(device_id="badge-0001").count()
        await eventually(lambda: Telemetry.filter(device_id="badge-0001").count(), timeout=15)
        await eventually(
            lambda: _more(Telemetry.filter(device_id="badge-0001").count(), before),
            timeout=15,
        )
        log = site.broker.config.log_file.read_text()
        assert log.count("u'badge-0001'") >= 2  # connected again after installing

        # The old certificate no longer gets in (the fleet had the broker reload its CRL).
        old_pem = x509.load_der_x509_certificate(old_der).public_bytes(Encoding.PEM)
        (site.folder / "old.crt").write_bytes(old_pem)
        (site.folder / "old.key").write_bytes(short.key_pem)
        ids = {"old": Identity(site.folder / "old.crt", site.folder / "old.key")}
        endpoint = Endpoint(site.broker.config.port, site.ca.cert_file, ids)
        assert await asyncio.to_thread(connect, endpoint, "old") is None
    finally:
        if badge is not None:
            procs.stop(badge)
        await runner.cleanup()


async def _more(count: Awaitable[int], than: int) -> bool:
    return await count > than


async def test_kiosk_certificate_is_renewed_over_mqtt(site: Site) -> None:
    """The kiosk agent takes its renewal (PEM) the same way and reconnects with it."""
    bundle = site.folder / "kiosk-0001"
    site.ca.revoke_name("kiosk-0001")
    short = site.ca.issue("device", "kiosk-0001", days=5)
    (bundle / "cert.pem").write_bytes(short.cert_pem)
    (bundle / "key.pem").write_bytes(short.key_pem)
    site.broker.reload()
    runner, app, _url = await start_app(_renewing_fleet(site))
    kiosk = None
    try:
        await asyncio.wait_for(app[LINK].connected.wait(), 10)
        kiosk = procs.spawn(
            devices.kiosk_command(bundle / "config.json"), site.folder / "kiosk.log"
        )

        async def renewed() -> Command | None:
            return await Command.get_or_none(op="renew_cert", state="done", ok=True)

        try:
            cmd = await eventually(renewed, timeout=30)
        except AssertionError:
            raise AssertionError((site.folder / "kiosk.log").read_text()) from None
        new = x509.load_pem_x509_certificate((bundle / "cert.pem").read_bytes())
        assert new.serial_number == int(cmd.args["serial"], 16) != short.entry.serial

        async def reconnected() -> bool:
            return site.broker.config.log_file.read_text().count("u'kiosk-0001'") >= 2

        await eventually(reconnected, timeout=15)
        before = await Telemetry.filter(device_id="kiosk-0001").count()
        await eventually(
            lambda: _more(Telemetry.filter(device_id="kiosk-0001").count(), before),
            timeout=15,
        )
        await eventually(
            lambda: not site.ca.valid_for("kiosk-0001")[1:], timeout=10
        )  # the short-lived certificate revoked
    finally:
        if kiosk is not None:
            procs.stop(kiosk)
        await runner.cleanup()
