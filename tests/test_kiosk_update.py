"""The kiosk's update with real parts: wheels of this project built by pip, the kiosk agent run
by edge_kiosk/deploy/launch.py under a supervisor that restarts it as systemd's
Restart=always does, a real Mosquitto and fleet. A signed wheel is installed into a fresh
virtualenv beside the running one, switched to by the symlink, started on trial and kept;
a version that cannot pass its health check is rolled back to the one before."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crmsensor import release_keys as rk
from devtools.broker import MosquittoProcess
from devtools.paths import ROOT as REPO_ROOT
from devtools.sim import devices
from devtools.sim.power import Rebooting
from edge_kiosk.updater import KioskUpdater, read_state
from fleet.devices.models import Device
from fleet.devices.registry import DeviceSpec, register
from fleet.settings import UpdateSettings
from fleet.state import OBJECTS
from fleet.updates import releases
from fleet.updates.models import DeviceUpdate
from tests.conftest import _fleet_settings, eventually, running_fleet

PASS = b"correct horse battery"
DEV = "kiosk-0501"
LAUNCH = REPO_ROOT / "edge_kiosk" / "deploy" / "launch.py"
PACKAGES = ("crmsensor", "devtools", "cli", "fleet", "edge_kiosk", "beamforming")


def _wheel(out: Path, version: str, patches: dict[str, tuple[str, str]] | None = None) -> Path:
    """This project as a wheel of ``version`` (pip, from a copy of the sources), with
    ``patches``: file -> (pattern, replacement), a version that misbehaves on purpose."""
    src = out / f"src-{version}"
    for name in PACKAGES:
        shutil.copytree(REPO_ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "README.md", src)
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    (src / "pyproject.toml").write_text(
        re.sub(r'^version = ".*"$', f'version = "{version}"', pyproject, count=1, flags=re.M)
    )
    for path, (pattern, replacement) in {
        "edge_kiosk/__init__.py": (r'^__version__ = ".*"$', f'__version__ = "{version}"'),
        **(patches or {}),
    }.items():
        text, n = re.subn(pattern, replacement, (src / path).read_text(), count=1, flags=re.M)
        assert n == 1, (path, pattern)
        (src / path).write_text(text)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(out), str(src)], check=True, capture_output=True)  # fmt: skip
    (wheel,) = out.glob(f"crmsensor-{version}-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("wheels")
    key = rk.new_key(d / "release.pem", PASS)
    trusted = d / "trusted.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    out: dict[str, Any] = {"trusted": trusted, "key": key}
    broken = {"edge_kiosk/updater.py": (r"^HEALTH_DEADLINE_S = .*$", "HEALTH_DEADLINE_S = 2.0"),
              "edge_kiosk/agent.py": (r"updater\.healthy\(", "(lambda b, c: False)(")}  # fmt: skip
    for version, patches in (("0.1.0", None), ("0.9.0", None), ("0.9.1", broken)):
        out[version] = _wheel(d, version, patches)
    return out


async def test_a_kiosk_updates_to_a_signed_wheel_and_rolls_back_a_broken_one(
    broker: MosquittoProcess, tmp_path: Path, wheels: dict[str, Any]
) -> None:
    # The kiosk as installed at the bench: version 0.1.0 in its own virtualenv, `current`
    root = tmp_path / "opt"
    bench = KioskUpdater(root, None, "kiosk-r1", lambda *_: None, lambda: None)
    staged = root / "downloads" / wheels["0.1.0"].name
    staged.parent.mkdir(parents=True)
    shutil.copy(wheels["0.1.0"], staged)
    bench.install(staged, "0.1.0")
    (root / "current").symlink_to(Path("venvs") / "0.1.0")

    settings = _fleet_settings(broker, tmp_path, updates=UpdateSettings(str(wheels["trusted"])),
                               rollout_s=0.5)  # fmt: skip
    async with running_fleet(settings) as fleet:
        await register(DeviceSpec(DEV, "kiosk", "st-1", "kiosk-r1"))
        ids = {}
        for version in ("0.9.0", "0.9.1"):
            body, sig = rk.sign_release(wheels[version], wheels["key"], version=version,
                                        kind="kiosk-wheel", hw=["kiosk-r1"])  # fmt: skip
            r = await releases.store_release(fleet.app[OBJECTS],
                                             releases.trusted_keys(str(wheels["trusted"])),
                                             body, sig, wheels[version], "tests")  # fmt: skip
            ids[version] = r.id
        cfg = devices.kiosk_config(DEV, "st-1", "127.0.0.1", broker.config.port, tele_interval_s=1)
        shutil.copy(wheels["trusted"], tmp_path / "trusted.json")
        cfg["updates"] = {"trusted_keys": "trusted.json"}
        config = devices.write_config(tmp_path / "config.json", cfg)
        kiosk = Rebooting([sys.executable, str(LAUNCH), "--root", str(root), "--config",
                           str(config)], tmp_path / "kiosk.log", dict(os.environ),
                          always=True).start()  # fmt: skip
        try:

            async def runs(version: str) -> bool:
                d = await Device.get_or_none(id=DEV)
                return bool(d and d.online and d.fw == version)

            await eventually(lambda: runs("0.1.0"), timeout=60)
            upd = await fleet.post(f"api/v1/devices/{DEV}/update", {"release": ids["0.9.0"]})

            async def outcome() -> DeviceUpdate | None:
                row = await DeviceUpdate.get(id=upd["id"])
                return row if row.state in ("healthy", "rolled_back", "error", "failed") else None

            row = await eventually(outcome, timeout=120)
            assert (row.state, row.reason) == ("healthy", ""), (
                row.state,
                row.reason,
                _log(tmp_path),
            )
            await eventually(lambda: runs("0.9.0"), timeout=30)
            assert os.readlink(root / "current") == "venvs/0.9.0"
            assert read_state(root)["trial"] is None and kiosk.boots == 2

            # A version that cannot pass its health check: tried once, then the one before
            upd = await fleet.post(f"api/v1/devices/{DEV}/update", {"release": ids["0.9.1"]})
            row = await eventually(outcome, timeout=120)
            assert row.state == "rolled_back", (row.state, row.reason, _log(tmp_path))
            assert row.reason == "broker or camera not working in 2 s"
            await eventually(lambda: runs("0.9.0"), timeout=30)
            assert os.readlink(root / "current") == "venvs/0.9.0"
            assert (root / "venvs" / "0.9.1").is_dir() and kiosk.boots == 4
        finally:
            kiosk.stop()


def _log(tmp_path: Path) -> str:
    path = tmp_path / "kiosk.log"
    return path.read_text()[-3000:] if path.exists() else ""
