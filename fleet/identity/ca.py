"""The fleet's certificate authority: device, broker and user certificates, revocation, CRL.

Everything lives in one folder (mode 0700)::

    ca.cert.pem     the CA certificate (give it to devices and the broker)
    ca.key.pem      its private key, encrypted with the passphrase (mode 0600)
    index.json      every certificate issued: serial, kind, name, validity, revocation
    crl.pem         the current revocation list (what Mosquitto's ``crlfile`` reads)

Keys are ECDSA P-256: small certificates, fast handshakes on the ESP32-S3 (mbedTLS). The
CA key is reached through a :class:`KeyStore`; :class:`PassphraseKeyStore` decrypts the file
with a passphrase, and a KMS-backed store (one whose passphrase is itself decrypted by a KMS,
or that unwraps the key there) fits the same interface.

A certificate's common name is its MQTT identity (Mosquitto's ``use_identity_as_username``):
the device id for devices, ``fleet`` or ``svc-<name>`` for services, ``user-<name>`` for
people, so a person or a service can never take a device's identity.
"""

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from crmsensor.errors import CrmsError
from crmsensor.protocol import is_device_id

KINDS = ("device", "server", "service", "user")
DEVICE_DAYS = 30  # short: devices renew over MQTT well before this
SERVER_DAYS = 397
PERSON_DAYS = 90
CA_DAYS = 3650
CRL_DAYS = 7  # a CRL is refreshed at every revocation and by the fleet's housekeeping
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,31}")


_CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    key_cert_sign=True,
    crl_sign=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    encipher_only=False,
    decipher_only=False,
)


class CAError(CrmsError):
    """The CA cannot do what was asked (missing, wrong passphrase, bad name...)."""


class KeyStore(Protocol):
    """Where the CA's private key is kept."""

    def load(self, pem: bytes) -> ec.EllipticCurvePrivateKey:
        """The key from its stored (encrypted) form."""
        ...

    def dump(self, key: ec.EllipticCurvePrivateKey) -> bytes:
        """The key's stored (encrypted) form."""
        ...


class PassphraseKeyStore:
    """The key in PKCS#8 PEM, encrypted with a passphrase (AES-256-CBC, scrypt-derived)."""

    def __init__(self, passphrase: str) -> None:
        if len(passphrase) < 8:
            raise CAError("the CA passphrase must be at least 8 characters")
        self._passphrase = passphrase.encode()

    def load(self, pem: bytes) -> ec.EllipticCurvePrivateKey:
        try:
            key = serialization.load_pem_private_key(pem, self._passphrase)
        except (ValueError, TypeError):
            raise CAError("cannot open the CA key: wrong passphrase or damaged file") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CAError("the CA key is not an EC key")
        return key

    def dump(self, key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )


@dataclass
class Entry:
    """One issued certificate in the index."""

    serial: int
    kind: str
    name: str
    not_before: str
    not_after: str
    fingerprint: str  # sha256 of the DER certificate, hex
    revoked_at: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Issued:
    """A new certificate and its private key (PEM), and its index entry."""

    cert_pem: bytes
    key_pem: bytes
    entry: Entry

    def save(self, cert_file: Path, key_file: Path) -> None:
        """Write the certificate, and the key readable by its owner only."""
        cert_file.write_bytes(self.cert_pem)
        write_private(key_file, self.key_pem)


def fingerprint(cert: x509.Certificate) -> str:
    """sha256 of the DER certificate, lowercase hex (what the registry keeps)."""
    return cert.fingerprint(hashes.SHA256()).hex()


def identity_name(kind: str, name: str) -> str:
    """The certificate's common name (the MQTT username) for ``kind`` and ``name``."""
    if kind not in KINDS:
        raise CAError(f"certificate kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "device":
        if not is_device_id(name):
            raise CAError(f"{name!r} is not a device id")
        return name
    if kind == "server":
        return name  # a host name; checked where the SANs are made
    if not _NAME.fullmatch(name):
        raise CAError(f"{kind} name {name!r}: use 2-32 of a-z 0-9 - _")
    if kind == "service":
        return "fleet" if name == "fleet" else f"svc-{name}"
    return f"user-{name}"


class FleetCA:
    """Open with :meth:`open`, create with :meth:`create`."""

    def __init__(self, folder: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate):
        self.folder = folder
        self._key = key
        self.cert = cert

    # -- files ---------------------------------------------------------------------------

    @property
    def cert_file(self) -> Path:
        return self.folder / "ca.cert.pem"

    @property
    def crl_file(self) -> Path:
        return self.folder / "crl.pem"

    @property
    def _index_file(self) -> Path:
        return self.folder / "index.json"

    @classmethod
    def create(
        cls, folder: Path, store: KeyStore, org: str = "CRMsensor fleet", days: int = CA_DAYS
    ) -> "FleetCA":
        """Make a new CA in ``folder`` (which must not hold one)."""
        if (folder / "ca.key.pem").exists():
            raise CAError(f"{folder} already holds a CA; open it instead")
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                x509.NameAttribute(NameOID.COMMON_NAME, f"{org} CA"),
            ]
        )
        now = datetime.now(UTC)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_CA_KEY_USAGE, critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        write_private(folder / "ca.key.pem", store.dump(key), exclusive=True)
        (folder / "ca.cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        ca = cls(folder, key, cert)
        ca._save_index([])
        ca.write_crl()
        return ca

    @classmethod
    def open(cls, folder: Path, store: KeyStore) -> "FleetCA":
        """Open the CA in ``folder``; a clear error when it is missing or the key won't open."""
        key_file = folder / "ca.key.pem"
        if not key_file.exists():
            raise CAError(f"no CA in {folder} (create one with `crmsensor ca init`)")
        mode = key_file.stat().st_mode & 0o777
        if mode & 0o077:
            raise CAError(f"{key_file} is readable by others (mode {mode:o}); chmod 600 it")
        key = store.load(key_file.read_bytes())
        cert = x509.load_pem_x509_certificate((folder / "ca.cert.pem").read_bytes())
        if cert.public_key() != key.public_key():
            raise CAError(f"{folder}: ca.cert.pem does not belong to ca.key.pem")
        return cls(folder, key, cert)

    # -- index ---------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every certificate issued, oldest first."""
        raw = json.loads(self._index_file.read_text())
        return [Entry(**e) for e in raw]

    def _save_index(self, entries: Iterable[Entry]) -> None:
        tmp = self._index_file.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(e) for e in entries], indent=1))
        os.replace(tmp, self._index_file)

    def valid_for(self, name: str, now: datetime | None = None) -> list[Entry]:
        """Certificates for ``name`` (a common name) that are neither revoked nor expired."""
        at = (now or datetime.now(UTC)).isoformat()
        return [
            e
            for e in self.entries()
            if e.name == name and e.revoked_at is None and e.not_after > at
        ]

    # -- issuing -------------------------------------------------------------------------

    def issue(
        self,
        kind: str,
        name: str,
        days: int | None = None,
        hosts: Iterable[str] = (),
        not_before: datetime | None = None,
    ) -> Issued:
        """A certificate and new key for ``name``. ``hosts`` (server certificates): the DNS
        names and IP addresses clients connect to. ``not_before`` is for tests of expiry."""
        issued = self._sign(kind, name, days, hosts, not_before)
        self._save_index([*self.entries(), issued.entry])
        return issued

    def issue_many(self, kind: str, names: Iterable[str], days: int | None = None) -> list[Issued]:
        """:meth:`issue` for each of ``names``, the index written once (a fleet's worth of
        device certificates in one go; one at a time rewrites the index each time)."""
        issued = [self._sign(kind, name, days, (), None) for name in names]
        self._save_index([*self.entries(), *(i.entry for i in issued)])
        return issued

    def _sign(
        self,
        kind: str,
        name: str,
        days: int | None,
        hosts: Iterable[str],
        not_before: datetime | None,
    ) -> Issued:
        cn = identity_name(kind, name)
        if days is None:
            days = {"device": DEVICE_DAYS, "server": SERVER_DAYS}.get(kind, PERSON_DAYS)
        if days < 1:
            raise CAError(f"validity must be at least a day, got {days}")
        key = ec.generate_private_key(ec.SECP256R1())
        start = not_before or datetime.now(UTC) - timedelta(minutes=5)
        end = start + timedelta(days=days)
        usage = (
            ExtendedKeyUsageOID.SERVER_AUTH if kind == "server" else ExtendedKeyUsageOID.CLIENT_AUTH
        )
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()),
                critical=False,
            )
        )
        if kind == "server":
            names = list(hosts) or [name]
            builder = builder.add_extension(
                x509.SubjectAlternativeName([_san(h) for h in names]), critical=False
            )
        cert = builder.sign(self._key, hashes.SHA256())
        entry = Entry(
            serial=cert.serial_number,
            kind=kind,
            name=cn,
            not_before=start.isoformat(),
            not_after=end.isoformat(),
            fingerprint=fingerprint(cert),
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return Issued(cert.public_bytes(serialization.Encoding.PEM), key_pem, entry)

    # -- revocation ----------------------------------------------------------------------

    def revoke(self, serial: int, reason: str = "key_compromise") -> Entry:
        """Revoke one certificate and rewrite the CRL."""
        entries = self.entries()
        for e in entries:
            if e.serial == serial:
                if e.revoked_at is None:
                    e.revoked_at = datetime.now(UTC).isoformat()
                    e.reason = reason
                    self._save_index(entries)
                    self.write_crl()
                return e
        raise CAError(f"no certificate with serial {serial:x} was issued by this CA")

    def revoke_name(self, name: str, reason: str = "superseded") -> list[Entry]:
        """Revoke every valid certificate of ``name`` (a common name)."""
        return [self.revoke(e.serial, reason) for e in self.valid_for(name)]

    def write_crl(self, days: int = CRL_DAYS) -> Path:
        """Write ``crl.pem`` listing every revoked certificate; return its path."""
        now = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - timedelta(minutes=5))
            .next_update(now + timedelta(days=days))
        )
        for e in self.entries():
            if e.revoked_at is None:
                continue
            revoked = (
                x509.RevokedCertificateBuilder()
                .serial_number(e.serial)
                .revocation_date(datetime.fromisoformat(e.revoked_at))
                .build()
            )
            builder = builder.add_revoked_certificate(revoked)
        crl = builder.sign(self._key, hashes.SHA256())
        tmp = self.crl_file.with_suffix(".tmp")
        tmp.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
        os.replace(tmp, self.crl_file)
        return self.crl_file

    def refresh_crl(self, now: datetime | None = None) -> bool:
        """Re-sign the CRL when less than half its life is left (a broker refuses every
        client once its CRL has expired); True when it was rewritten."""
        crl = x509.load_pem_x509_crl(self.crl_file.read_bytes())
        left = crl.next_update_utc - (now or datetime.now(UTC)) if crl.next_update_utc else None
        if left is not None and left > timedelta(days=CRL_DAYS / 2):
            return False
        self.write_crl()
        return True

    def verify(self, cert_pem: bytes, now: datetime | None = None) -> Entry:
        """Check a certificate was issued by this CA, is in date and not revoked; its entry."""
        cert = x509.load_pem_x509_certificate(cert_pem)
        try:
            cert.verify_directly_issued_by(self.cert)
        except (ValueError, TypeError, InvalidSignature):
            raise CAError("certificate not issued by this CA") from None
        at = now or datetime.now(UTC)
        if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            raise CAError("certificate is not valid at this time")
        for e in self.entries():
            if e.serial == cert.serial_number:
                if e.revoked_at is not None:
                    raise CAError(f"certificate {e.serial:x} of {e.name} is revoked")
                return e
        raise CAError("certificate is not in this CA's index")


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def write_private(path: Path, data: bytes, exclusive: bool = False) -> None:
    """Write a secret (a private key, a bundle with credentials) readable by its owner only;
    ``exclusive``: refuse to replace an existing file."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), 0o600)  # a replaced file keeps its old mode through O_TRUNC
        f.write(data)
