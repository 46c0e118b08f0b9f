"""What the broker needs from the fleet: its TLS files from the fleet CA, and the ACL file
from the registry, rewritten (and the broker told to reload) when the registry changes."""

import logging
import os
import signal
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509

from crmsensor.errors import CrmsError
from devtools.broker.config import TlsFiles
from fleet.devices.registry import known_ids
from fleet.identity.broker_acl import render_acl
from fleet.identity.ca import FleetCA
from fleet.settings import BrokerTls

log = logging.getLogger("fleet.broker_access")

RENEW_BEFORE = timedelta(days=30)  # a server certificate closer to expiry is replaced


def write_acl(path: Path, device_ids: Iterable[str]) -> bool:
    """Write the ACL for ``device_ids`` to ``path`` atomically; True when it changed."""
    text = render_acl(device_ids)
    if path.exists() and path.read_text() == text:
        return False
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    return True


def broker_tls_files(
    ca: FleetCA, folder: Path, hosts: Iterable[str], device_ids: Iterable[str]
) -> TlsFiles:
    """The broker's certificate and key in ``folder`` (issued, or renewed when missing,
    expiring or for other hosts), the CA's certificate and CRL, and the ACL."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "broker.crt", folder / "broker.key"
    hosts = sorted(set(hosts))
    if not hosts:
        raise CrmsError("the broker certificate needs at least one host name or address")
    if _needs_new(cert_file, hosts, ca):
        ca.issue("server", "broker", hosts=hosts).save(cert_file, key_file)
    acl_file = folder / "acl"
    write_acl(acl_file, device_ids)
    return TlsFiles(ca.cert_file, cert_file, key_file, ca.crl_file, acl_file)


def _needs_new(cert_file: Path, hosts: list[str], ca: FleetCA) -> bool:
    if not cert_file.exists():
        return True
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    if cert.issuer != ca.cert.subject:
        return True
    if cert.not_valid_after_utc - datetime.now(UTC) < RENEW_BEFORE:
        return True
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    have = sorted(
        [*sans.get_values_for_type(x509.DNSName)]
        + [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)]
    )
    return have != hosts


def fleet_identity(ca: FleetCA, folder: Path) -> BrokerTls:
    """A new certificate for the fleet service (CN ``fleet``), as the files its MQTT link
    reads (``[broker_tls]``)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "fleet.crt", folder / "fleet.key"
    ca.issue("service", "fleet").save(cert, key)
    return BrokerTls(str(ca.cert_file), str(cert), str(key))


def signal_reload(pid_file: Path) -> bool:
    """SIGHUP the broker whose pid is in ``pid_file``; False when it is not running."""
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError):
        return False
    return True


async def sync_acl(acl_file: Path, pid_file: Path | None) -> bool:
    """Rewrite ``acl_file`` from the registry; when it changed, SIGHUP the broker whose pid
    is in ``pid_file``. True when the ACL changed."""
    changed = write_acl(acl_file, await known_ids())
    if changed and pid_file is not None:
        if signal_reload(pid_file):
            log.info("registry changed: ACL rewritten, broker reloaded")
        else:
            log.warning("registry changed: ACL rewritten, but no broker pid in %s", pid_file)
    return changed
