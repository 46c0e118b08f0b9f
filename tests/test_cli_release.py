"""`crmsensor fleet release keygen|sign`: a thin CLI over crmsensor/release_keys.py."""

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric import padding

from cli.main import cli
from crmsensor import release_keys as rk
from devtools.broker import MosquittoProcess

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


async def test_upload_list_and_yank_through_the_fleets_api(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    import asyncio
    import os
    import sys

    from fleet.settings import UpdateSettings
    from tests.conftest import _fleet_settings, running_fleet

    key = rk.new_key(tmp_path / "release.pem", ENV["CRMS_RELEASE_PASSPHRASE"].encode())
    trusted = tmp_path / "trusted.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    bundle = tmp_path / "app.tar"
    bundle.write_bytes(b"firmware" * 1000)

    async def crms(*args: str, env: dict[str, str]) -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cli.main", *args, env={**os.environ, **ENV, **env},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await proc.communicate()
        return proc.returncode or 0, out.decode()

    settings = _fleet_settings(broker, tmp_path, updates=UpdateSettings(str(trusted)))
    async with running_fleet(settings) as fleet:
        env = {"CRMS_FLEET_URL": fleet.url, "CRMS_FLEET_TOKEN": fleet.token}
        rc, out = await crms("fleet", "release", "upload", str(bundle), env=env)
        assert rc == 1 and "sign the bundle first" in out  # no manifest beside it yet
        rc, out = await crms("fleet", "release", "sign", str(bundle), "--key",
                             str(tmp_path / "release.pem"), "--version", "0.4.0", "--kind",
                             "badge-app", "--hw", "badge-r1", env={})  # fmt: skip
        assert rc == 0, out
        rc, out = await crms(
            "fleet", "release", "upload", str(bundle), "--notes", "faster", env=env
        )
        assert rc == 0 and "badge-app 0.4.0 for badge-r1, 8,000 bytes" in out, out
        rc, out = await crms("fleet", "release", "upload", str(bundle), env=env)
        assert rc == 1 and "409: release refused: badge-app 0.4.0 is stored already" in out, out
        rc, out = await crms("fleet", "release", "list", env=env)
        assert rc == 0 and "0.4.0" in out and "usable" in out, out
        rc, out = await crms("fleet", "release", "yank", "1", "--reason", "bad mics", env=env)
        assert rc == 0 and "yanked" in out, out
        rc, out = await crms("fleet", "release", "list", env=env)
        assert "yanked: bad mics" in out, out
        rc, out = await crms("fleet", "release", "list", env={**env, "CRMS_FLEET_TOKEN": "nope"})
        assert rc == 1 and "401" in out, out
