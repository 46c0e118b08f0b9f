"""Provisioning at the bench: register a device, give it a fresh identity, write its bundle.

A bundle is one folder holding ``config.json`` in the form the device reads (the badge
firmware's ``crms/config.py``, the kiosk agent's ``edge_kiosk/config.py``) with the fleet CA
certificate, the device's certificate and its private key beside it: DER for badges
(MicroPython's TLS reads DER everywhere), PEM for kiosks (CPython). Provisioning a device
again rotates its key: the new certificate is issued and every older one is revoked, so a
lost or cloned badge's old identity stops working once the broker reloads (docs/operations.md).
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from crmsensor.device_config import check_badge, check_kiosk
from fleet.devices.models import Device
from fleet.devices.registry import DeviceSpec, register
from fleet.identity.ca import FleetCA, write_private


@dataclass(frozen=True)
class Broker:
    """Where the device connects, and the name the broker's certificate carries."""

    host: str
    port: int = 8883
    server_hostname: str = ""  # default: host


@dataclass(frozen=True)
class Provisioned:
    """What provisioning did."""

    config: Path
    serial: int
    fingerprint: str
    revoked: list[int]


async def provision(
    ca: FleetCA,
    spec: DeviceSpec,
    out_dir: Path,
    broker: Broker,
    settings: dict[str, Any] | None = None,
) -> Provisioned:
    """Register ``spec``, issue its certificate (revoking older ones) and write its bundle
    into ``out_dir``. ``settings``: more config keys for the device (Wi-Fi, intervals...)."""
    spec.check()
    await register(spec)
    revoked = [e.serial for e in ca.revoke_name(spec.id, "superseded")]
    issued = ca.issue("device", spec.id)
    await Device.filter(id=spec.id).update(cert_fingerprint=issued.entry.fingerprint)

    out_dir.mkdir(parents=True, exist_ok=True)
    cert = x509.load_pem_x509_certificate(issued.cert_pem)
    key = serialization.load_pem_private_key(issued.key_pem, None)
    if spec.kind == "badge":
        der = serialization.Encoding.DER
        (out_dir / "ca.der").write_bytes(ca.cert.public_bytes(der))
        (out_dir / "cert.der").write_bytes(cert.public_bytes(der))
        write_private(
            out_dir / "key.der",
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        )
        tls = {"ca": "ca.der", "cert": "cert.der", "key": "key.der"}
    else:
        (out_dir / "ca.pem").write_bytes(ca.cert_file.read_bytes())
        issued.save(out_dir / "cert.pem", out_dir / "key.pem")
        tls = {"ca": "ca.pem", "cert": "cert.pem", "key": "key.pem"}
    if spec.kind == "badge":
        tls["server_hostname"] = broker.server_hostname or broker.host
    config: dict[str, Any] = {
        "device_id": spec.id,
        "kind": spec.kind,
        "station": spec.station,
        "broker": {"host": broker.host, "port": broker.port, "tls": tls},
    }
    if spec.hw:
        config["hw"] = spec.hw
    config.update(settings or {})
    # the keys the device reads (crmsensor/device_config.py)
    check_badge(config) if spec.kind == "badge" else check_kiosk(config)
    path = out_dir / "config.json"
    write_private(path, json.dumps(config, indent=1).encode())  # may hold the Wi-Fi password
    return Provisioned(path, issued.entry.serial, issued.entry.fingerprint, revoked)
