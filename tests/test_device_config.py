"""One badge config schema (crmsensor/device_config.py): the vectors it generates are the
committed ones, its own checker and the firmware's (under MicroPython) agree on every one,
and what provisioning writes passes the firmware's check (Wi-Fi included)."""

import json
from pathlib import Path

import pytest

from crmsensor import device_config as dc
from crmsensor.errors import ConfigError
from devtools.sim import devices

HERE = Path(__file__).parent
VECTORS = HERE / "vectors" / "device_config_v1.json"


def test_the_committed_vectors_are_the_schemas() -> None:
    assert json.loads(VECTORS.read_text()) == dc.vectors(), (
        "regenerate: python -m crmsensor.device_config > tests/vectors/device_config_v1.json"
    )


def test_the_host_checker_refuses_each_invalid_vector_by_its_key() -> None:
    doc = dc.vectors()
    for cfg in doc["valid"].values():
        dc.check_badge(cfg)
    for v in doc["invalid"]:
        with pytest.raises(ConfigError, match=f"`{v['key']}`"):
            dc.check_badge(v["config"])
    with pytest.raises(ConfigError, match=r"`wifi.password` is not a badge setting"):
        dc.check_badge({**doc["valid"]["full"], "wifi": {"ssid": "x", "psk": "y", "password": "z"}})


def test_the_simulators_configs_are_the_schemas() -> None:
    dc.check_badge(devices.badge_config("badge-0003", "st-1", "127.0.0.1", 1883))
    dc.check_kiosk(devices.kiosk_config("kiosk-0003", "st-1", "127.0.0.1", 1883))


def test_the_kiosk_agent_refuses_each_invalid_kiosk_vector_by_its_key(tmp_path: Path) -> None:
    from edge_kiosk.config import parse_config

    for name in ("ca.pem", "cert.pem", "key.pem"):
        (tmp_path / name).write_text("-")
    doc = dc.vectors()["kiosk"]
    cfg = parse_config(doc["valid"]["full"], tmp_path)
    assert cfg.rois[0].name == "desk" and cfg.tls_ca == tmp_path / "ca.pem"
    for v in doc["invalid"]:
        with pytest.raises(ConfigError, match=f"`{v['key']}`"):
            parse_config(v["config"], tmp_path)


def test_the_firmware_agrees_and_reads_a_provisioned_bundle(micropython, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from cli.main import cli

    out = tmp_path / "bundle"
    args = ["badge", "provision", "badge-0042", "--station", "st-9", "--broker", "127.0.0.1:8883",
            "--wifi-ssid", "forecourt", "--wifi-password", "s3cret pass", "--out", str(out),
            "--ca-dir", str(tmp_path / "ca"),
            "--db", f"sqlite://{tmp_path / 'f.sqlite3'}"]  # fmt: skip
    res = CliRunner().invoke(cli, ["fleet", "ca", "init", "--ca-dir", str(tmp_path / "ca")],
                             env={"CRMS_CA_PASSPHRASE": "x" * 12})  # fmt: skip
    res = CliRunner().invoke(cli, args, env={"CRMS_CA_PASSPHRASE": "x" * 12})
    assert res.exit_code == 0, res.output + repr(res.exception)
    written = json.loads((out / "config.json").read_text())
    assert written["wifi"] == {"ssid": "forecourt", "psk": "s3cret pass"}
    proc = micropython(HERE / "firmware" / "mp_config_vectors.py", str(VECTORS),
                       str(out / "config.json"))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.split()[-1] == str(2 + len(dc.vectors()["invalid"]) + 1)
