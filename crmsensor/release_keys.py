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
from typing import Any

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


def public_from_entry(entry: object) -> tuple[str, rsa.RSAPublicKey]:
    """A trusted-key entry ({"id", "n" hex, "e"}) as (id, public key); ReleaseKeyError."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ReleaseKeyError("a trusted key is an object with an id")
    try:
        n = int(entry["n"], 16)
        public = rsa.RSAPublicNumbers(int(entry["e"]), n).public_key()
    except (KeyError, TypeError, ValueError):
        raise ReleaseKeyError(f"trusted key {entry['id']}: n (hex) and e are needed") from None
    if public.key_size != KEY_BITS or entry["e"] != EXPONENT:
        raise ReleaseKeyError(f"trusted key {entry['id']}: must be RSA-{KEY_BITS}, e={EXPONENT}")
    if key_id(public) != entry["id"]:
        raise ReleaseKeyError(f"trusted key {entry['id']}: the id is not its key's")
    return entry["id"], public


def load_trusted(path: Path) -> dict[str, rsa.RSAPublicKey]:
    """The trusted release keys in ``path`` (the JSON list devices hold); ReleaseKeyError."""
    try:
        entries = json.loads(path.read_text())
    except OSError as exc:
        raise ReleaseKeyError(f"trusted release keys {path}: {exc.strerror}") from None
    except ValueError:
        raise ReleaseKeyError(f"trusted release keys {path}: not JSON") from None
    if not isinstance(entries, list) or not entries:
        raise ReleaseKeyError(f"trusted release keys {path}: must be a non-empty JSON list")
    return dict(public_from_entry(e) for e in entries)


_MANIFEST_KEYS = {"version", "kind", "hw", "min_version", "size", "sha256", "key"}


def check_manifest(body: bytes, sig_hex: str, keys: dict[str, rsa.RSAPublicKey]) -> dict[str, Any]:
    """A release manifest's fields, once its signature by a trusted key and its fields are
    checked (what firmware/crms/signature.py checks on the badge, and more); ReleaseKeyError
    naming the first thing wrong."""
    try:
        m = json.loads(body)
    except ValueError:
        raise ReleaseKeyError("the release manifest is not JSON") from None
    if not isinstance(m, dict) or set(m) != _MANIFEST_KEYS:
        raise ReleaseKeyError(f"a release manifest has exactly {', '.join(sorted(_MANIFEST_KEYS))}")
    if not isinstance(m["key"], str) or m["key"] not in keys:
        raise ReleaseKeyError(f"signed by an untrusted key {str(m['key'])[:40]}")
    try:
        sig = bytes.fromhex(sig_hex)
        keys[m["key"]].verify(sig, hashlib.sha256(body).digest(), padding.PKCS1v15(),
                              SHA256_PREHASHED)  # fmt: skip
    except (InvalidSignature, ValueError):
        raise ReleaseKeyError("bad signature: the manifest is not signed by its key") from None
    if m["kind"] not in KINDS:
        raise ReleaseKeyError(f"release kind must be one of {', '.join(KINDS)}")
    if (
        not isinstance(m["hw"], list)
        or not m["hw"]
        or not all(isinstance(h, str) and 0 < len(h) <= 32 for h in m["hw"])
    ):
        raise ReleaseKeyError("hw must list at least one hardware revision")
    for field in ("version", "min_version"):
        if not isinstance(m[field], str):
            raise ReleaseKeyError(f"{field} must be a string")
        version_tuple(m[field])
    if version_tuple(m["min_version"]) > version_tuple(m["version"]):
        raise ReleaseKeyError("min_version is above the release's own version")
    if not isinstance(m["size"], int) or m["size"] <= 0:
        raise ReleaseKeyError("size must be a positive whole number")
    if not isinstance(m["sha256"], str) or len(m["sha256"]) != 64:
        raise ReleaseKeyError("sha256 must be 64 hex digits")
    return m


def check_bundle(manifest: dict[str, Any], path: Path) -> None:
    """The bundle at ``path`` is the manifest's (size, then SHA-256); ReleaseKeyError."""
    digest, size = digest_file(path)
    if size != manifest["size"]:
        raise ReleaseKeyError(f"the bundle is {size} bytes, its manifest says {manifest['size']}")
    if digest.hex() != manifest["sha256"]:
        raise ReleaseKeyError("the bundle's SHA-256 differs from its manifest's")
