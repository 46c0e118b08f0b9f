"""The fleet CA: keys kept safe, certificates for each kind of identity, revocation and CRL,
checked with cryptography and with the openssl command line."""

import shutil
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fleet.identity.ca import CAError, FleetCA, PassphraseKeyStore

PASS = "correct horse battery"


@pytest.fixture
def ca(tmp_path: Path) -> FleetCA:
    return FleetCA.create(tmp_path / "ca", PassphraseKeyStore(PASS))


def _cn(pem: bytes) -> str:
    cert = x509.load_pem_x509_certificate(pem)
    return str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def test_ca_files_are_private_and_the_key_needs_the_passphrase(ca: FleetCA) -> None:
    folder = ca.folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "ca.key.pem").stat().st_mode) == 0o600
    assert b"ENCRYPTED" in (folder / "ca.key.pem").read_bytes()
    assert FleetCA.open(folder, PassphraseKeyStore(PASS)).cert == ca.cert
    with pytest.raises(CAError, match="wrong passphrase"):
        FleetCA.open(folder, PassphraseKeyStore("not the passphrase"))
    with pytest.raises(CAError, match="at least 8"):
        PassphraseKeyStore("short")
    with pytest.raises(CAError, match="already holds a CA"):
        FleetCA.create(folder, PassphraseKeyStore(PASS))
    (folder / "ca.key.pem").chmod(0o644)
    with pytest.raises(CAError, match="readable by others"):
        FleetCA.open(folder, PassphraseKeyStore(PASS))
    with pytest.raises(CAError, match="no CA in"):
        FleetCA.open(folder.parent / "elsewhere", PassphraseKeyStore(PASS))


def test_identities_per_kind(ca: FleetCA) -> None:
    dev = ca.issue("device", "badge-0001")
    assert _cn(dev.cert_pem) == "badge-0001"
    cert = x509.load_pem_x509_certificate(dev.cert_pem)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == timedelta(days=30)
    assert ca.verify(dev.cert_pem).name == "badge-0001"

    assert _cn(ca.issue("user", "alice").cert_pem) == "user-alice"
    assert _cn(ca.issue("service", "dashboard").cert_pem) == "svc-dashboard"
    assert _cn(ca.issue("service", "fleet").cert_pem) == "fleet"
    server = x509.load_pem_x509_certificate(
        ca.issue("server", "broker", hosts=["localhost", "127.0.0.1"]).cert_pem
    )
    sans = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]

    for kind, name in [("device", "Badge 1"), ("user", "../root"), ("robot", "x")]:
        with pytest.raises(CAError):
            ca.issue(kind, name)


def test_many_device_certificates_at_once(ca: FleetCA) -> None:
    before = len(ca.entries())
    names = [f"badge-{i:04d}" for i in range(20, 25)]
    issued = ca.issue_many("device", names)
    assert [_cn(i.cert_pem) for i in issued] == names
    assert [ca.verify(i.cert_pem).name for i in issued] == names
    assert len(ca.entries()) == before + 5  # each in the index, so each can be revoked
    assert {e.serial for e in ca.revoke_name("badge-0022")} == {issued[2].entry.serial}
    with pytest.raises(CAError):
        ca.issue_many("device", ["badge-0030", "Not An Id"])
    assert len(ca.entries()) == before + 5  # a bad name issues none of the batch


def test_revocation_reaches_the_crl_and_verification(ca: FleetCA) -> None:
    old = ca.issue("device", "badge-0002")
    new = ca.issue("device", "badge-0002")
    revoked = ca.revoke_name("badge-0002")
    assert {e.serial for e in revoked} == {old.entry.serial, new.entry.serial}
    crl = x509.load_pem_x509_crl(ca.crl_file.read_bytes())
    assert crl.is_signature_valid(ca.cert.public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(old.entry.serial) is not None
    with pytest.raises(CAError, match="revoked"):
        ca.verify(old.cert_pem)
    assert ca.valid_for("badge-0002") == []
    with pytest.raises(CAError, match="no certificate with serial"):
        ca.revoke(12345)


def test_foreign_and_expired_certificates_fail_verification(ca: FleetCA, tmp_path: Path) -> None:
    other = FleetCA.create(tmp_path / "other", PassphraseKeyStore(PASS))
    with pytest.raises(CAError, match="not issued by this CA"):
        ca.verify(other.issue("device", "badge-0003").cert_pem)
    past = datetime.now(UTC) - timedelta(days=40)
    expired = ca.issue("device", "badge-0004", days=30, not_before=past)
    with pytest.raises(CAError, match="not valid at this time"):
        ca.verify(expired.cert_pem)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command not installed")
def test_openssl_agrees(ca: FleetCA, tmp_path: Path) -> None:
    good = ca.issue("device", "badge-0005")
    bad = ca.issue("device", "badge-0006")
    ca.revoke(bad.entry.serial)
    for name, issued in (("good", good), ("bad", bad)):
        (tmp_path / f"{name}.pem").write_bytes(issued.cert_pem)

    def verify(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["openssl", "verify", "-CAfile", str(ca.cert_file), "-crl_check",
             "-CRLfile", str(ca.crl_file), str(tmp_path / f"{name}.pem")],
            capture_output=True, text=True,
        )  # fmt: skip

    assert verify("good").returncode == 0, verify("good").stdout
    out = verify("bad")
    assert out.returncode != 0 and "revoked" in (out.stdout + out.stderr)


def test_crl_is_re_signed_before_it_expires(ca: FleetCA) -> None:
    """A broker with an expired CRL refuses every client: the fleet re-signs it in time."""
    first = x509.load_pem_x509_crl(ca.crl_file.read_bytes())
    assert not ca.refresh_crl()  # fresh: nothing to do
    later = datetime.now(UTC) + timedelta(days=5)  # past half of the 7-day life
    assert ca.refresh_crl(later)
    second = x509.load_pem_x509_crl(ca.crl_file.read_bytes())
    assert second.next_update_utc is not None and first.next_update_utc is not None
    assert second.next_update_utc >= first.next_update_utc
