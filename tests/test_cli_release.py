"""`crmsensor fleet release keygen|sign`: a thin CLI over crmsensor/release_keys.py."""

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric import padding

from cli.main import cli
from crmsensor import release_keys as rk

ENV = {"CRMS_RELEASE_PASSPHRASE": "a long enough passphrase"}


def test_keygen_then_sign_writes_a_manifest_the_key_verifies(tmp_path: Path) -> None:
    runner = CliRunner(env=ENV)
    key_file = tmp_path / "release.pem"
    made = runner.invoke(cli, ["fleet", "release", "keygen", str(key_file)])
    assert made.exit_code == 0, made.output
    entry = json.loads(made.output)
    assert entry["e"] == 65537 and len(entry["n"]) == 512 and len(entry["id"]) == 16
    bundle = tmp_path / "app.bin"
    bundle.write_bytes(b"firmware" * 100)
    args = ["fleet", "release", "sign", str(bundle), "--key", str(key_file), "--version",
            "1.5.0", "--kind", "badge-app", "--hw", "s3-r1", "--hw", "s3-r2",
            "--min-version", "1.2"]  # fmt: skip
    signed = runner.invoke(cli, args)
    assert signed.exit_code == 0, signed.output
    body = (tmp_path / "app.bin.release.json").read_bytes()
    manifest = json.loads(body)
    assert manifest == {
        "version": "1.5.0", "kind": "badge-app", "hw": ["s3-r1", "s3-r2"], "min_version": "1.2",
        "size": 800, "sha256": hashlib.sha256(bundle.read_bytes()).hexdigest(), "key": entry["id"],
    }  # fmt: skip
    sig = bytes.fromhex((tmp_path / "app.bin.release.sig").read_text().strip())
    public = rk.load_key(key_file, ENV["CRMS_RELEASE_PASSPHRASE"].encode()).public_key()
    public.verify(sig, hashlib.sha256(body).digest(), padding.PKCS1v15(), rk.SHA256_PREHASHED)
    # bad input is named (crmsensor's main prints the error in one line) and writes nothing
    (tmp_path / "app.bin.release.json").unlink()
    bad = runner.invoke(cli, [*args[:7], "1.x", *args[8:]])
    assert isinstance(bad.exception, rk.ReleaseKeyError) and "bad version '1.x'" in str(
        bad.exception
    )
    assert not (tmp_path / "app.bin.release.json").exists()
    wrong = CliRunner(env={"CRMS_RELEASE_PASSPHRASE": "not the passphrase"}).invoke(cli, args)
    assert "wrong passphrase" in str(wrong.exception)
    again = runner.invoke(cli, ["fleet", "release", "keygen", str(key_file)])
    assert "never overwritten" in str(again.exception)
