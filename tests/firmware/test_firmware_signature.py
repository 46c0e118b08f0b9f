"""Release signatures: made by the fleet's tool (crmsensor/release_keys.py, cryptography) and
checked by the badge's own code under the MicroPython unix port, good and bad."""

import json
import os
from pathlib import Path

import pytest

from crmsensor import release_keys as rk

HERE = Path(__file__).parent
PASS = b"correct horse battery"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple:  # type: ignore[type-arg]
    d = tmp_path_factory.mktemp("keys")
    return rk.new_key(d / "release.pem", PASS), rk.new_key(d / "other.pem", PASS)


def test_the_badge_accepts_a_signed_bundle_and_refuses_every_bad_one(
    micropython, keys, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    release, other = keys
    bundle = tmp_path / "app.bin"
    bundle.write_bytes(os.urandom(300 * 1024))  # the 300 KB bundle
    good = rk.sign_file(bundle, release)
    rk.check_file(bundle, good, [release.public_key()])  # the fleet's own check agrees
    (tmp_path / "corrupt.bin").write_bytes(b"\x00" + bundle.read_bytes()[1:])
    (tmp_path / "short.bin").write_bytes(bundle.read_bytes()[:-100])
    by_other = rk.sign_file(bundle, other)
    sig = bytes.fromhex(good.signature)
    cases = [
        {"name": "good", "file": "app.bin", "key": good.key, "sig": good.signature},
        {"name": "corrupt", "file": "corrupt.bin", "key": good.key, "sig": good.signature},
        {"name": "truncated", "file": "short.bin", "key": good.key, "sig": good.signature},
        {"name": "flipped", "file": "app.bin", "key": good.key,
         "sig": (sig[:-1] + bytes([sig[-1] ^ 1])).hex()},
        {"name": "short-sig", "file": "app.bin", "key": good.key, "sig": sig[:-1].hex()},
        # signed with a key the badge does not trust, whether it says so or not
        {"name": "untrusted", "file": "app.bin", "key": by_other.key, "sig": by_other.signature},
        {"name": "wrong-key", "file": "app.bin", "key": good.key, "sig": by_other.signature},
    ]  # fmt: skip
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    (tmp_path / "trusted.json").write_text(json.dumps([rk.trusted_entry(release.public_key())]))
    proc = micropython(HERE / "mp_signature.py", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in proc.stdout.splitlines()
           if not line.startswith("keys")}  # fmt: skip
    assert out["good"] == f"ok {300 * 1024}"
    assert out["corrupt"] == out["truncated"] == out["flipped"] == "refused: bad signature"
    assert out["short-sig"] == "refused: signature must be 256 bytes, got 255"
    assert out["untrusted"] == f"refused: signed by an untrusted key {by_other.key}"
    assert out["wrong-key"] == "refused: bad signature"
    refused = [line for line in proc.stdout.splitlines() if line.startswith("keys")]
    assert refused == [
        "keys refused: trusted keys must be a non-empty list",
        "keys refused: key k: n must be hex",
        "keys refused: key k: must be RSA-2048",
        "keys refused: key k: exponent must be 65537",
    ]


def test_the_fleet_names_what_is_wrong_with_a_bundle_or_key(keys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    release, other = keys
    bundle = tmp_path / "app.bin"
    bundle.write_bytes(b"app" * 1000)
    signed = rk.sign_file(bundle, release)
    bundle.write_bytes(b"app" * 999)
    with pytest.raises(rk.ReleaseKeyError, match="2997 bytes, the manifest says 3000"):
        rk.check_file(bundle, signed, [release.public_key()])
    bundle.write_bytes(b"apq" * 1000)
    with pytest.raises(rk.ReleaseKeyError, match="SHA-256 differs"):
        rk.check_file(bundle, signed, [release.public_key()])
    bundle.write_bytes(b"app" * 1000)
    with pytest.raises(rk.ReleaseKeyError, match="untrusted key"):
        rk.check_file(bundle, signed, [other.public_key()])
    forged = rk.Signed(
        signed.sha256, signed.size, signed.key, rk.sign_file(bundle, other).signature
    )
    with pytest.raises(rk.ReleaseKeyError, match="bad signature"):
        rk.check_file(bundle, forged, [release.public_key()])
    rk.new_key(tmp_path / "mine.pem", PASS)
    assert rk.load_key(tmp_path / "mine.pem", PASS).key_size == 2048
    with pytest.raises(rk.ReleaseKeyError, match="wrong passphrase"):
        rk.load_key(tmp_path / "mine.pem", b"not the passphrase")
    with pytest.raises(rk.ReleaseKeyError, match="never overwritten"):
        rk.new_key(tmp_path / "mine.pem", PASS)
    with pytest.raises(rk.ReleaseKeyError, match="at least 12 bytes"):
        rk.new_key(tmp_path / "k.pem", b"short")


def test_the_badge_checks_a_whole_release_before_switching(
    micropython, keys, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    release, other = keys
    bundle = tmp_path / "app.bin"
    bundle.write_bytes(os.urandom(20000))
    body, sig = rk.sign_release(bundle, release, version="1.5.0", kind="badge-app",
                                hw=["s3-r1", "s3-r2"], min_version="1.2")  # fmt: skip
    manifest = body.decode()
    (tmp_path / "short.bin").write_bytes(bundle.read_bytes()[:-1])
    (tmp_path / "other.bin").write_bytes(os.urandom(20000))
    changed = manifest.replace('"min_version":"1.2"', '"min_version":"0"')
    _, other_sig = rk.sign_release(bundle, other, version="1.5.0", kind="badge-app", hw=["s3-r1"])
    base = {"manifest": manifest, "sig": sig, "bundle": "app.bin", "kind": "badge-app",
            "hw": "s3-r1", "current": "1.4.2"}  # fmt: skip
    cases = [
        {**base, "name": "good"},
        {**base, "name": "downgrade", "current": "1.1.9"},
        {**base, "name": "hardware", "hw": "s3-r9"},
        {**base, "name": "kind", "kind": "kiosk-wheel"},
        {**base, "name": "truncated", "bundle": "short.bin"},
        {**base, "name": "swapped", "bundle": "other.bin"},
        {**base, "name": "edited", "manifest": changed},  # min_version lowered after signing
        {**base, "name": "resigned", "sig": other_sig},
        {**base, "name": "garbage", "manifest": "not json"},
    ]
    (tmp_path / "releases.json").write_text(json.dumps(cases))
    (tmp_path / "trusted.json").write_text(json.dumps([rk.trusted_entry(release.public_key())]))
    proc = micropython(HERE / "mp_signature.py", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line[:5] != "keys ")
    assert out == {
        "good": "ok 1.5.0",
        "downgrade": "refused: needs version 1.2 or newer first",
        "hardware": "refused: release not for hardware revision s3-r9",
        "kind": "refused: release for badge-app, this is a kiosk-wheel",
        "truncated": "refused: bundle is 19999 bytes, the release says 20000",
        "swapped": "refused: bundle SHA-256 differs from the release's",
        "edited": "refused: bad signature",
        "resigned": "refused: bad signature",
        "garbage": "refused: release manifest is not JSON",
    }


def test_a_release_is_refused_when_its_fields_are_wrong(keys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    release, _ = keys
    bundle = tmp_path / "app.bin"
    bundle.write_bytes(b"x")
    for kw, message in [
        ({"kind": "toaster"}, "kind must be one of badge-app"),
        ({"hw": []}, "at least one hardware revision"),
        ({"version": "1.x"}, "bad version '1.x'"),
        ({"min_version": ""}, "bad version ''"),
    ]:
        args = {"version": "1.0", "kind": "badge-app", "hw": ["s3-r1"], **kw}
        with pytest.raises(rk.ReleaseKeyError, match=message):
            rk.sign_release(bundle, release, **args)  # type: ignore[arg-type]
