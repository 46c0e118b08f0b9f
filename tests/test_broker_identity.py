"""Identity and access through a real Mosquitto running the project's `tls` profile: client
certificates from the fleet CA, the ACL generated from the registry. Every probe a device
could try against another device (publishing as it, subscribing to it) is denied, strangers
cannot connect, and the fleet account works."""

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crmsensor.protocol import Channel, topic
from devtools.broker import MosquittoProcess, free_port, render_config
from devtools.broker.config import TlsFiles
from fleet.identity.broker_acl import render_acl
from fleet.identity.ca import FleetCA, Issued, PassphraseKeyStore
from tests.tls_probe import Endpoint, Identity, Probe, connect

DEVICES = ["badge-0001", "badge-0002", "kiosk-0001"]
UPLINK = [Channel.STATUS, Channel.TELE, Channel.EVT, Channel.REC_MANIFEST, Channel.REC_CHUNK,
          Channel.CMD_RES]  # fmt: skip
DOWNLINK = [Channel.CMD, Channel.ACK]


@dataclass
class Rig(Endpoint):
    broker: MosquittoProcess
    folder: Path
    ca: FleetCA


def _save(folder: Path, name: str, issued: Issued) -> Identity:
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    cert.write_bytes(issued.cert_pem)
    key.write_bytes(issued.key_pem)
    key.chmod(0o600)
    return Identity(cert, key)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    ca = FleetCA.create(tmp_path / "ca", PassphraseKeyStore("test passphrase"))
    certs = tmp_path / "certs"
    certs.mkdir()
    ids = {d: _save(certs, d, ca.issue("device", d)) for d in DEVICES}
    ids["fleet"] = _save(certs, "fleet", ca.issue("service", "fleet"))
    ids["user-alice"] = _save(certs, "user-alice", ca.issue("user", "alice"))
    ids["unregistered"] = _save(certs, "badge-0999", ca.issue("device", "badge-0999"))
    past = datetime.now(UTC) - timedelta(days=40)
    ids["expired"] = _save(certs, "expired", ca.issue("device", "badge-0001", 30, not_before=past))
    revoked = ca.issue("device", "badge-0002")
    ids["revoked"] = _save(certs, "revoked", revoked)
    ca.revoke(revoked.entry.serial)
    other = FleetCA.create(tmp_path / "other-ca", PassphraseKeyStore("test passphrase"))
    ids["foreign"] = _save(certs, "foreign", other.issue("device", "badge-0001"))
    server = _save(certs, "broker", ca.issue("server", "broker", hosts=["127.0.0.1"]))
    acl = tmp_path / "acl"
    acl.write_text(render_acl(DEVICES))
    files = TlsFiles(ca.cert_file, server.cert, server.key, ca.crl_file, acl)
    broker = MosquittoProcess(render_config(tmp_path / "broker", free_port(), "tls", tls=files))
    broker.start()
    yield Rig(broker.config.port, ca.cert_file, ids, broker, tmp_path, ca)
    broker.stop()


def _topic(device: str, channel: Channel) -> str:
    return topic(device, channel, "r-1" if channel.value.startswith("rec/") else None)


def _own_downlink(device: str, topic_name: str) -> bool:
    return topic_name in {_topic(device, c) for c in DOWNLINK}


def test_acl_and_identity_matrix(rig: Rig) -> None:
    """Mosquitto's ACL file does not refuse a SUBSCRIBE (it answers granted) but checks read
    access for every message it would deliver; so "denied" here means: nothing arrives."""
    probes = 0
    fleet = connect(rig, "fleet")
    assert fleet is not None, "the fleet account could not connect"
    assert fleet.subscribe("crms/#") and fleet.subscribe("$share/fleet/crms/#")
    devices: dict[str, Probe] = {}
    for d in DEVICES:
        p = connect(rig, d)
        assert p is not None, f"{d} could not connect with its own certificate"
        for channel in DOWNLINK:
            p.subscribe(_topic(d, channel))
        devices[d] = p

    # Strangers cannot connect at all.
    for who, kwargs in [
        (None, {}),  # TLS without a client certificate
        ("foreign", {}),  # a certificate from another CA
        ("expired", {}),
        ("revoked", {}),  # in the CRL the broker loaded
        ("badge-0001", {"tls": False}),  # plain MQTT on the TLS port
    ]:
        probes += 1
        assert connect(rig, who, **kwargs) is None, f"{who} {kwargs} connected"

    # Identities without ACL lines (a person, an unregistered device) can do nothing.
    strangers: dict[str, Probe] = {}
    for who in ("user-alice", "unregistered"):
        p = connect(rig, who)
        assert p is not None
        for channel in UPLINK + DOWNLINK:
            probes += 2
            p.subscribe(_topic("badge-0001", channel))
            p.publish(_topic("badge-0001", channel), b"probe-stranger")
        probes += 1
        p.subscribe("#")
        strangers[who] = p

    # Every device against every other: subscribing to it, publishing as it; and a device
    # claiming another's username still acts as itself.
    for a, b in itertools.permutations(DEVICES, 2):
        pa = devices[a]
        for channel in UPLINK + DOWNLINK:
            probes += 2
            pa.subscribe(_topic(b, channel))
            pa.publish(_topic(b, channel), f"probe-{a}-as-{b}".encode())
        liar = connect(rig, a, username=b)
        assert liar is not None
        probes += 1
        liar.publish(_topic(b, Channel.TELE), f"probe-{a}-named-{b}".encode())
        liar.close()
    for a, pa in devices.items():
        for wildcard in ("crms/#", "crms/v1/+/cmd", "#"):
            probes += 1
            pa.subscribe(wildcard)
        for channel in DOWNLINK:  # a device never writes downlink, not even its own
            probes += 1
            pa.publish(_topic(a, channel), f"probe-{a}-own-{channel}".encode())
        for channel in UPLINK:  # nor reads its uplink
            probes += 1
            pa.subscribe(_topic(a, channel))

    # Legitimate traffic on every device's topics: each device's uplink reaches the fleet
    # only, the fleet's downlink reaches its device only, whoever else has subscribed.
    for a, pa in devices.items():
        for channel in UPLINK:
            pa.publish(_topic(a, channel), f"legit-{a}-{channel}".encode())
        for channel in DOWNLINK:
            fleet.publish(_topic(a, channel), f"legit-{channel}-{a}".encode())

    # Sentinels follow everything above, so whatever was going to be delivered has been.
    for a, pa in devices.items():
        pa.publish(_topic(a, Channel.TELE), f"sentinel-{a}".encode())
        fleet.wait_for(f"sentinel-{a}".encode())
    for a, pa in devices.items():
        fleet.publish(_topic(a, Channel.CMD), f"sentinel-cmd-{a}".encode())
        pa.wait_for(f"sentinel-cmd-{a}".encode())
    for who, p in strangers.items():
        assert p.received == [], f"{who} received {p.received[:3]}"
    for a, pa in devices.items():
        wrong = [(t, m) for t, m in pa.received if not _own_downlink(a, t)]
        assert wrong == [], f"{a} received others' messages: {wrong[:3]}"
        assert {m for _, m in pa.received} >= {f"legit-{c}-{a}".encode() for c in DOWNLINK}
    leaked = [(t, m) for t, m in fleet.received if m.startswith(b"probe")]
    assert leaked == [], f"denied publishes were delivered: {leaked[:5]}"
    legit = {m for _, m in fleet.received if m.startswith(b"legit-badge") or b"kiosk" in m}
    assert len(legit) >= len(DEVICES) * len(UPLINK)
    print(f"\nACL and identity matrix: {probes} probes denied, none got through")
    assert probes >= 150
    for p in [fleet, *devices.values(), *strangers.values()]:
        p.close()


def test_revoked_badge_is_cut_off_by_reload(rig: Rig) -> None:
    fleet = connect(rig, "fleet")
    a, b = connect(rig, "badge-0001"), connect(rig, "badge-0002")
    assert fleet is not None and a is not None and b is not None
    fleet.subscribe("crms/#")
    a.subscribe(_topic("badge-0001", Channel.CMD))
    b.subscribe(_topic("badge-0002", Channel.CMD))

    rig.ca.revoke_name("badge-0001")
    (rig.folder / "acl").write_text(render_acl(["badge-0002", "kiosk-0001"]))
    log = rig.broker.config.log_file
    reloads = log.read_text().count("Reloading config")
    rig.broker.reload()
    deadline = time.monotonic() + 10
    while log.read_text().count("Reloading config") == reloads:
        assert time.monotonic() < deadline, "mosquitto did not reload on SIGHUP"
        time.sleep(0.05)
    a.publish(_topic("badge-0001", Channel.TELE), b"after-revoke")
    fleet.publish(_topic("badge-0001", Channel.CMD), b"cmd-after-revoke")
    b.publish(_topic("badge-0002", Channel.TELE), b"b-still-works")
    fleet.wait_for(b"b-still-works")
    fleet.publish(_topic("badge-0002", Channel.CMD), b"cmd-to-b")
    b.wait_for(b"cmd-to-b")
    # What Mosquitto 2.0.11 does (docs/operations.md): the revoked badge's open connection
    # stays up but may do nothing (the ACL); SIGHUP also re-reads the CRL, so the revoked
    # certificate is refused at its next connection, while valid ones still connect.
    assert connect(rig, "badge-0001") is None, "revoked certificate accepted after SIGHUP"
    k = connect(rig, "kiosk-0001")
    assert k is not None, "a valid certificate was refused after the reload"
    assert b.client.is_connected(), "another device was disconnected by the reload"
    assert all(m != b"after-revoke" for _, m in fleet.received)
    assert all(m != b"cmd-after-revoke" for _, m in a.received)
    for p in (fleet, a, b, k):
        p.close()


def test_acl_rendering_refuses_what_is_not_a_device() -> None:
    text = render_acl(["badge-0002", "badge-0001", "badge-0001"])
    assert text.count("user badge-0001") == 1
    assert text.index("user badge-0001") < text.index("user badge-0002")
    for bad in ("fleet", "Badge 1", "a/#", ""):
        with pytest.raises(ValueError, match="not a device id"):
            render_acl([bad])
