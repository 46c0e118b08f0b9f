"""The ``crmsensor`` command as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = str(Path(sys.executable).parent / "crmsensor")
GROUPS = ["firmware", "badge", "kiosk", "fleet", "beam", "broker", "sim", "hil"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, check=False)


def test_help_lists_every_group_with_a_purpose() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    lines = proc.stdout.split("Commands:")[1].strip().splitlines()
    purposes = dict(line.split(None, 1) for line in lines)
    assert sorted(purposes) == sorted(GROUPS)
    assert all(len(p.strip()) > 15 for p in purposes.values()), purposes


def test_bad_config_is_one_clear_line_no_traceback(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.json"
    cfg.write_text(json.dumps({"device_id": "kiosk-1", "broker": {"host": "h", "port": 99999}}))
    proc = run("kiosk", "run", "--config", str(cfg))
    assert proc.returncode == 1
    assert "`broker.port` must be 1-65535, got 99999" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_argument_names_the_option() -> None:
    proc = run("fleet", "serve", "--broker", "nohost")
    assert proc.returncode == 2
    assert "--broker" in proc.stderr and "HOST:PORT" in proc.stderr


def test_broker_config_renders_the_project_template(tmp_path: Path) -> None:
    proc = run("broker", "config", "--out", str(tmp_path), "--port", "18883")
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "mosquitto.conf").read_text()
    assert "listener 18883 127.0.0.1" in text
    assert "max_packet_size 10240" in text
    assert "$" not in text  # every placeholder filled


def test_register_rejects_bad_device_id(tmp_path: Path) -> None:
    db = f"sqlite://{tmp_path / 'f.sqlite3'}"
    proc = run("fleet", "register", "Bad Id", "--kind", "badge", "--db", db)
    assert proc.returncode == 1 and "device id must be" in proc.stderr
    proc = run("fleet", "register", "badge-0001", "--kind", "badge", "--db", db)
    assert proc.returncode == 0, proc.stderr


def test_firmware_deps_are_pinned_and_present() -> None:
    env = dict(os.environ)
    proc = subprocess.run(
        [BIN, "firmware", "deps"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_sim_scenario_and_flash_image(tmp_path: Path) -> None:
    proc = run("sim", "scenario", str(tmp_path / "w"), "--segment", "desk_up:2",
               "--segment", "still:6", "--charge-at", "7")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "w" / "scenario.json").read_text())
    assert doc["timeline"][-1] == [7.0, {"charging": True}]
    assert (tmp_path / "w" / "world.wav").stat().st_size > 8 * 16000 * 4
    bad = run("sim", "scenario", str(tmp_path / "x"), "--segment", "sofa:3")
    assert bad.returncode == 2 and "unknown kind 'sofa'" in bad.stderr

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "config.json").write_text("{}")
    proc = run("sim", "flash-image", str(bundle), "--out", str(tmp_path / "f.img"))
    assert proc.returncode == 0 and (tmp_path / "f.img").stat().st_size == 512 * 1024
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("sim", "flash-image", str(empty), "--out", str(tmp_path / "g.img"))
    assert proc.returncode == 1 and "holds no config.json" in proc.stderr
    proc = run("badge", "sim", "--scenario", str(tmp_path / "w" / "scenario.json"))
    assert proc.returncode == 2 and "exactly one of --config and --flash" in proc.stderr


def test_a_group_whose_extra_is_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """An install for one role (pip install 'crmsensor[fleet]') lists every group; using one
    whose dependencies are missing names the module and the extra to install."""
    from click.testing import CliRunner

    from cli import main as cli_main

    monkeypatch.setitem(cli_main.GROUPS, "kiosk", ("no_such_module_for_test", "kiosk,fleet"))
    runner = CliRunner()
    listing = runner.invoke(cli_main.cli, ["--help"])
    assert "(not installed: pip install 'crmsensor[kiosk,fleet]')" in listing.output
    res = runner.invoke(cli_main.cli, ["kiosk", "run", "--config", "x.json"])
    assert res.exit_code == 1
    assert "`crmsensor kiosk` needs no_such_module_for_test, not installed" in res.output
