"""The identity workflow through the CLI: a CA, certificates, a `tls` broker from the
registry, and a device added to the registry gaining access after `crmsensor broker acl`."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmsensor.protocol import Channel, topic
from devtools import procs
from devtools.broker import free_port
from tests.tls_probe import Endpoint, Identity, connect


def crms(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRMS_CA_PASSPHRASE": "a test passphrase"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[tuple[Path, int, subprocess.Popen[bytes]]]:
    """A CA, two registered badges, and `crmsensor broker run --profile tls` serving them."""
    db = "sqlite://fleet.sqlite3"
    assert crms(tmp_path, "fleet", "ca", "init").returncode == 0
    for dev in ("badge-0001", "badge-0002"):
        assert (
            crms(tmp_path, "fleet", "register", dev, "--kind", "badge", "--db", db).returncode == 0
        )
    for kind, name in (("device", "badge-0001"), ("device", "badge-0003"), ("service", "fleet")):
        out = crms(tmp_path, "fleet", "ca", "issue", kind, name, "--out", "certs")
        assert out.returncode == 0, out.stderr
    port = free_port()
    env = {**os.environ, "CRMS_CA_PASSPHRASE": "a test passphrase"}
    argv = [sys.executable, "-m", "cli.main", "broker", "run", "--profile", "tls",
            "--port", str(port), "--db", db]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=False)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    assert "listening" in line, line
    yield tmp_path, port, proc
    procs.stop(proc, grace_s=10)


def _endpoint(folder: Path, port: int) -> Endpoint:
    certs = folder / "certs"
    ids = {n: Identity(certs / f"{n}.crt", certs / f"{n}.key") for n in
           ("badge-0001", "badge-0003", "fleet")}  # fmt: skip
    return Endpoint(port, folder / ".run" / "ca" / "ca.cert.pem", ids)


def test_registry_change_reaches_the_broker(
    bench: tuple[Path, int, subprocess.Popen[bytes]],
) -> None:
    folder, port, _ = bench
    rig = _endpoint(folder, port)
    fleet = connect(rig, "fleet")
    assert fleet is not None
    fleet.subscribe("crms/#")
    newcomer = connect(rig, "badge-0003")  # certificate issued, not yet registered
    assert newcomer is not None
    newcomer.publish(topic("badge-0003", Channel.TELE), b"before")

    db = "sqlite://fleet.sqlite3"
    assert (
        crms(folder, "fleet", "register", "badge-0003", "--kind", "badge", "--db", db).returncode
        == 0
    )
    out = crms(folder, "broker", "acl", "--db", db)
    assert out.returncode == 0 and "rewritten" in out.stdout and "reloaded" in out.stdout, out
    registered = newcomer
    for _ in range(100):  # the reload is asynchronous: retry until the broker has it
        registered.publish(topic("badge-0003", Channel.TELE), b"after")
        if any(m == b"after" for _, m in fleet.received):
            break
        time.sleep(0.05)
    assert any(m == b"after" for _, m in fleet.received), "registration never took effect"
    assert all(m != b"before" for _, m in fleet.received)
    again = crms(folder, "broker", "acl", "--db", db)
    assert "unchanged" in again.stdout
    for p in (fleet, newcomer):
        p.close()


def test_provisioning_from_the_cli(tmp_path: Path) -> None:
    assert crms(tmp_path, "fleet", "ca", "init").returncode == 0
    db = "sqlite://fleet.sqlite3"
    args = ["--station", "st-1", "--broker", "mqtt.example:8883", "--db", db]
    out = crms(tmp_path, "badge", "provision", "badge-0001", "--out", "b1", *args,
               "--wifi-ssid", "forecourt", "--wifi-password", "s3cret")  # fmt: skip
    assert out.returncode == 0, out.stderr
    bundle = tmp_path / "b1"
    assert sorted(p.name for p in bundle.iterdir()) == [
        "ca.der", "cert.der", "config.json", "key.der",
    ]  # fmt: skip
    assert (bundle / "config.json").stat().st_mode & 0o077 == 0
    again = crms(tmp_path, "badge", "provision", "badge-0001", "--out", "b1", *args)
    assert "revoked 1 older" in again.stdout
    kiosk = crms(tmp_path, "kiosk", "provision", "kiosk-0001", "--out", "k1", *args)
    assert kiosk.returncode == 0 and (tmp_path / "k1" / "key.pem").exists()
    bad = crms(tmp_path, "badge", "provision", "Badge 1", "--out", "x", *args)
    assert bad.returncode != 0 and "device id" in bad.stderr
    listing = crms(tmp_path, "fleet", "ca", "list").stdout
    assert listing.count("revoked") == 1 and listing.count("valid") == 2
