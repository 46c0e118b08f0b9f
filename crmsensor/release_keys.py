"""Release keys and signatures, the fleet's side of firmware/crms/signature.py.

A release is signed with RSA-2048, PKCS#1 v1.5 over SHA-256, exponent 65537: what a badge can
verify in MicroPython within its budget (the firmware module says why; the cost is measured by
benchmarks/ota_verify_cost.py). Release keys are not the device CA's: each is kept encrypted
with a passphrase (PKCS#8), named by the first 8 bytes of the SHA-256 of its public key, and
devices trust a short list of them (``trusted_entry``), so a key can be rotated.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from crmsensor.errors import UserError

KEY_BITS = 2048
EXPONENT = 65537
CHUNK = 1 << 16
SHA256_PREHASHED = Prehashed(hashes.SHA256())  # we hash the bundle ourselves, streaming


class ReleaseKeyError(UserError):
    """A release key or signature that cannot be used, with the reason."""


@dataclass(frozen=True)
class Signed:
    """What a release's manifest carries about its bundle."""

    sha256: str  # hex
    size: int
    key: str  # the signing key's id
    signature: str  # hex, 256 bytes

    def as_dict(self) -> dict[str, object]:
        return {"sha256": self.sha256, "size": self.size, "key": self.key, "sig": self.signature}


def new_key(path: Path, passphrase: bytes) -> rsa.RSAPrivateKey:
    """Make a release key and keep it at ``path``, encrypted with ``passphrase``."""
    if len(passphrase) < 12:
        raise ReleaseKeyError("a release key's passphrase must be at least 12 bytes")
    if path.exists():
        raise ReleaseKeyError(f"{path} exists: a release key is never overwritten")
    key = rsa.generate_private_key(public_exponent=EXPONENT, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    path.write_bytes(pem)
    path.chmod(0o600)
    return key


def load_key(path: Path, passphrase: bytes) -> rsa.RSAPrivateKey:
    """The release key at ``path``; ReleaseKeyError naming what is wrong."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), passphrase)
    except OSError as exc:
        raise ReleaseKeyError(f"release key {path}: {exc.strerror}") from None
    except (ValueError, TypeError):
        raise ReleaseKeyError(f"release key {path}: wrong passphrase or not a PEM key") from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size != KEY_BITS:
        raise ReleaseKeyError(f"release key {path}: must be RSA-{KEY_BITS}")
    if key.public_key().public_numbers().e != EXPONENT:
        raise ReleaseKeyError(f"release key {path}: exponent must be {EXPONENT}")
    return key


def key_id(public: rsa.RSAPublicKey) -> str:
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def trusted_entry(public: rsa.RSAPublicKey) -> dict[str, object]:
    """The key as a device's trusted-key list holds it (firmware/crms/signature.py)."""
    return {"id": key_id(public), "n": f"{public.public_numbers().n:x}", "e": EXPONENT}


def digest_file(path: Path) -> tuple[bytes, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.digest(), size


def sign_file(path: Path, key: rsa.RSAPrivateKey) -> Signed:
    """Sign the bundle at ``path``: its digest, size and signature."""
    digest, size = digest_file(path)
    sig = key.sign(digest, padding.PKCS1v15(), SHA256_PREHASHED)
    return Signed(digest.hex(), size, key_id(key.public_key()), sig.hex())


def check_file(path: Path, signed: Signed, trusted: list[rsa.RSAPublicKey]) -> None:
    """Raise ReleaseKeyError naming the first thing wrong: size, hash, key or signature."""
    digest, size = digest_file(path)
    if size != signed.size:
        raise ReleaseKeyError(f"{path.name}: {size} bytes, the manifest says {signed.size}")
    if digest.hex() != signed.sha256:
        raise ReleaseKeyError(f"{path.name}: SHA-256 differs from the manifest's")
    keys = {key_id(k): k for k in trusted}
    if signed.key not in keys:
        raise ReleaseKeyError(f"{path.name}: signed by an untrusted key {signed.key}")
    try:
        keys[signed.key].verify(bytes.fromhex(signed.signature), digest, padding.PKCS1v15(),
                                SHA256_PREHASHED)  # fmt: skip
    except (InvalidSignature, ValueError):
        raise ReleaseKeyError(f"{path.name}: bad signature") from None


KINDS = ("badge-app", "badge-image", "kiosk-wheel")


def version_tuple(v: str) -> tuple[int, ...]:
    """ "1.4.2" -> (1, 4, 2), as the badge reads it; ReleaseKeyError for anything else."""
    try:
        parts = tuple(int(p) for p in v.split("."))
    except ValueError:
        parts = ()
    if not 1 <= len(parts) <= 4 or min(parts) < 0:
        raise ReleaseKeyError(f"bad version {v!r}: use numbers and dots, e.g. 1.4.2")
    return parts


def sign_release(
    bundle: Path,
    key: rsa.RSAPrivateKey,
    *,
    version: str,
    kind: str,
    hw: list[str],
    min_version: str = "0",
) -> tuple[bytes, str]:
    """A release's manifest (its exact bytes are what is signed, so the version, the device
    kind, the hardware revisions and the minimum version cannot be changed without breaking
    the signature) and the signature over their SHA-256, hex."""
    if kind not in KINDS:
        raise ReleaseKeyError(f"release kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if not hw:
        raise ReleaseKeyError("a release lists at least one hardware revision")
    version_tuple(version)
    version_tuple(min_version)
    digest, size = digest_file(bundle)
    manifest = {
        "version": version, "kind": kind, "hw": sorted(hw), "min_version": min_version,
        "size": size, "sha256": digest.hex(), "key": key_id(key.public_key()),
    }  # fmt: skip
    body = json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()
    sig = key.sign(hashlib.sha256(body).digest(), padding.PKCS1v15(), SHA256_PREHASHED)
    return body, sig.hex()
