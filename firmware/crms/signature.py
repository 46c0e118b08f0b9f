# Release signatures checked on the badge: RSA-2048, PKCS#1 v1.5, SHA-256, public exponent
# 65537 (docs/protocol.md, "Releases").
#
# Why RSA: verifying is one modular power with a 17-bit exponent (17 multiplications of
# 2048-bit integers, which MicroPython's big integers do in C) and a SHA-256 (the ESP32-S3
# hashes in hardware). Ed25519 would need SHA-512, which MicroPython's hashlib lacks, and a
# curve's point arithmetic written in Python; ECDSA P-256 likewise. The cost is measured by
# benchmarks/ota_verify_cost.py.
#
# Pure: bytes and integers in, a digest or SignatureError out. The badge trusts a short list
# of release keys (shipped with the previous release), so a key can be rotated.
import hashlib
import json

KEY_BITS = 2048
SIG_BYTES = KEY_BITS // 8
EXPONENT = 65537
# DER of DigestInfo { sha256, NULL } before the 32-byte digest (RFC 8017, 9.2 note 1)
SHA256_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
CHUNK = 4096


class SignatureError(Exception):
    pass


def digest_file(path, chunk=CHUNK):
    """SHA-256 of a file and its size, read in ``chunk``-byte pieces into one buffer."""
    h = hashlib.sha256()
    buf = bytearray(chunk)
    view = memoryview(buf)
    size = 0
    with open(path, "rb") as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            h.update(view[:n])
            size += n
    return h.digest(), size


def encoded(digest):
    """The PKCS#1 v1.5 block a signature of ``digest`` must open to."""
    pad = SIG_BYTES - 3 - len(SHA256_INFO) - len(digest)
    return b"\x00\x01" + b"\xff" * pad + b"\x00" + SHA256_INFO + digest


def verify(digest, signature, modulus):
    """Raise SignatureError unless ``signature`` signs ``digest`` under the key ``modulus``
    (an int, exponent 65537)."""
    if len(digest) != 32:
        raise SignatureError("digest must be 32 bytes (SHA-256), got %d" % len(digest))
    if len(signature) != SIG_BYTES:
        raise SignatureError("signature must be %d bytes, got %d" % (SIG_BYTES, len(signature)))
    s = int.from_bytes(signature, "big")
    if s >= modulus:  # (another key's signature, often): no signature of this key
        raise SignatureError("bad signature")
    if pow(s, EXPONENT, modulus).to_bytes(SIG_BYTES, "big") != encoded(digest):
        raise SignatureError("bad signature")


def verify_trusted(digest, signature, key_id, keys):
    """Check ``signature`` with the trusted key named ``key_id``; ``keys``: {id: modulus}."""
    modulus = keys.get(key_id)
    if modulus is None:
        raise SignatureError("signed by an untrusted key %s" % key_id)
    verify(digest, signature, modulus)


def load_keys(obj):
    """The trusted keys from their JSON form: [{"id": str, "n": hex, "e": 65537}, ...]."""
    if not isinstance(obj, list) or not obj:
        raise SignatureError("trusted keys must be a non-empty list")
    keys = {}
    for k in obj:
        if not isinstance(k, dict) or not isinstance(k.get("id"), str):
            raise SignatureError("a trusted key needs an id")
        if k.get("e") != EXPONENT:
            raise SignatureError("key %s: exponent must be %d" % (k["id"], EXPONENT))
        n = k.get("n")
        try:
            n = int(n, 16) if isinstance(n, str) else None
        except ValueError:
            n = None
        if n is None:
            raise SignatureError("key %s: n must be hex" % k["id"])
        if not (1 << (KEY_BITS - 1)) <= n < (1 << KEY_BITS):  # no int.bit_length here
            raise SignatureError("key %s: must be RSA-%d" % (k["id"], KEY_BITS))
        keys[k["id"]] = n
    return keys


def version_tuple(v):
    """The version "1.4.2" as (1, 4, 2); SignatureError for anything else."""
    try:
        parts = tuple(int(p) for p in v.split("."))
    except (AttributeError, ValueError):
        parts = ()
    if not 1 <= len(parts) <= 4 or min(parts) < 0:
        raise SignatureError("bad version %r" % (v,))
    return parts


def check_manifest(manifest, sig, keys, kind, hw, current):
    """Check a release's manifest before anything is downloaded; return it as a dict.

    ``manifest``: its bytes exactly as signed; ``sig``: the signature over their SHA-256;
    ``keys``: the trusted keys. The release must be for this ``kind`` of device, list its
    hardware revision ``hw``, and allow an update from version ``current``."""
    try:
        m = json.loads(manifest)
    except ValueError:
        raise SignatureError("release manifest is not JSON") from None
    if not isinstance(m, dict) or not isinstance(m.get("key"), str):
        raise SignatureError("release manifest names no signing key")
    # the key's id is inside the signed bytes, so it cannot be swapped
    verify_trusted(hashlib.sha256(manifest).digest(), sig, m["key"], keys)
    if m.get("kind") != kind:
        raise SignatureError("release for %s, this is a %s" % (m.get("kind"), kind))
    if hw not in m.get("hw", ()):
        raise SignatureError("release not for hardware revision %s" % hw)
    if version_tuple(current) < version_tuple(m.get("min_version", "0")):
        raise SignatureError("needs version %s or newer first" % m.get("min_version"))
    if not isinstance(m.get("size"), int) or not isinstance(m.get("sha256"), str):
        raise SignatureError("release manifest lacks size or sha256")
    return m


def check_bundle(m, bundle_path):
    """The bundle at ``bundle_path`` is the one the checked manifest ``m`` describes."""
    digest, size = digest_file(bundle_path)
    if size != m["size"]:
        raise SignatureError("bundle is %d bytes, the release says %d" % (size, m["size"]))
    if digest != bytes.fromhex(m["sha256"]):
        raise SignatureError("bundle SHA-256 differs from the release's")


def check_release(manifest, sig, keys, bundle_path, kind, hw, current):
    """Both checks, manifest then bundle; return the manifest as a dict."""
    m = check_manifest(manifest, sig, keys, kind, hw, current)
    check_bundle(m, bundle_path)
    return m
