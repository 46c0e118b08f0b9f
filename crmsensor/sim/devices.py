"""Simulated devices: configs for them and the commands that run them."""

import json
import sys
from pathlib import Path
from typing import Any

from crmsensor.fwtools.runner import micropython_command
from crmsensor.paths import FIRMWARE_DIR


def badge_config(
    device_id: str,
    station: str,
    broker_host: str,
    broker_port: int,
    storage_dir: Path,
    tele_interval_s: int = 5,
    keepalive_s: int = 30,
) -> dict[str, Any]:
    """A badge config (the shape `crms/config.py` reads) for the simulated board."""
    return {
        "device_id": device_id,
        "kind": "badge",
        "station": station,
        "hw": "badge-r1",
        "broker": {"host": broker_host, "port": broker_port},
        "keepalive_s": keepalive_s,
        "tele_interval_s": tele_interval_s,
        "sim": {
            "battery_mv": 3950,
            "charging": False,
            "worn": True,
            "rssi_dbm": -58,
            "storage_dir": str(storage_dir),
        },
    }


def kiosk_config(
    device_id: str, station: str, broker_host: str, broker_port: int, tele_interval_s: int = 5
) -> dict[str, Any]:
    """A kiosk agent config with the synthetic camera."""
    return {
        "device_id": device_id,
        "station": station,
        "broker": {"host": broker_host, "port": broker_port},
        "tele_interval_s": tele_interval_s,
        "camera": "synthetic",
        "camera_fps": 10,
    }


def write_config(path: Path, cfg: dict[str, Any]) -> Path:
    """Write a device config file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cfg, indent=1))
    return path


def badge_command(config_path: Path) -> list[str]:
    """Run the real badge firmware in the MicroPython unix port."""
    return micropython_command(FIRMWARE_DIR / "main.py", ["--config", str(config_path)])


def kiosk_command(config_path: Path) -> list[str]:
    """Run the kiosk agent with this Python."""
    return [sys.executable, "-m", "cli.main", "kiosk", "run", "--config", str(config_path)]
