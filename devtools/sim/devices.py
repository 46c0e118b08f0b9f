"""Simulated devices: configs for them and the commands that run them."""

import json
import sys
from pathlib import Path
from typing import Any

from crmsensor import device_config
from devtools.fwtools.runner import micropython_command
from devtools.paths import FIRMWARE_DIR


def badge_config(
    device_id: str,
    station: str,
    broker_host: str,
    broker_port: int,
    tele_interval_s: int = 5,
    keepalive_s: int = 30,
) -> dict[str, Any]:
    """A badge config (crmsensor/device_config.py, the keys `crms/config.py` reads)."""
    return device_config.badge_config(
        device_id, station, broker_host, broker_port,
        keepalive_s=keepalive_s, tele_interval_s=tele_interval_s,
    )  # fmt: skip


def idle_scenario(folder: Path, charging: bool = False) -> Path:
    """A scenario for a badge lying on a desk (no accelerometer trace, no sound): it reports
    and takes commands but records nothing unless told to. Its "SD card" is folder/sd."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"timeline": [[0, {"charging": charging, "wifi": True}]], "storage_dir": "sd"}
    path = folder / "scenario.json"
    path.write_text(json.dumps(doc, indent=1))
    return path


def kiosk_config(
    device_id: str, station: str, broker_host: str, broker_port: int, tele_interval_s: int = 5
) -> dict[str, Any]:
    """A kiosk agent config with the synthetic camera (crmsensor/device_config.py)."""
    return device_config.kiosk_config(
        device_id, station, broker_host, broker_port,
        tele_interval_s=tele_interval_s, camera="synthetic", camera_fps=10,
    )  # fmt: skip


def write_config(path: Path, cfg: dict[str, Any]) -> Path:
    """Write a device config file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cfg, indent=1))
    return path


def badge_command(
    config_path: Path | None = None,
    scenario: Path | None = None,
    flash: Path | None = None,
    heap: str = "192k",
) -> list[str]:
    """Run the real badge firmware in the MicroPython unix port: its config from a LittleFS
    ``flash`` image (as on the badge) or a plain ``config_path``; the world from ``scenario``.
    The heap defaults to what MicroPython gets on an ESP32-S3 without PSRAM."""
    args = ["--flash", str(flash)] if flash else ["--config", str(config_path)]
    if scenario is not None:
        args += ["--scenario", str(scenario)]
    return micropython_command(FIRMWARE_DIR / "main.py", args, heap=heap)


def kiosk_command(config_path: Path) -> list[str]:
    """Run the kiosk agent with this Python."""
    return [sys.executable, "-m", "cli.main", "kiosk", "run", "--config", str(config_path)]
