"""The kiosk's configuration file (JSON, written by provisioning), checked at load."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmsensor.errors import ConfigError
from crmsensor.protocol import is_device_id


@dataclass(frozen=True)
class KioskConfig:
    """What the kiosk agent needs to run."""

    device_id: str
    station: str
    broker_host: str
    broker_port: int
    hw: str = "kiosk-r1"
    keepalive_s: int = 30
    tele_interval_s: int = 10
    camera: str = "synthetic"
    camera_fps: float = 10.0
    # TLS with a client certificate (PEM files written by provisioning); None: plain MQTT.
    tls_ca: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None


def _get(obj: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
    if key not in obj:
        if default is None:
            raise ConfigError(f"kiosk config: `{key}` is missing")
        return default
    value = obj[key]
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        raise ConfigError(f"kiosk config: `{key}` must be {kind.__name__}, got {value!r}")
    return value


def parse_config(obj: Any, base: Path | None = None) -> KioskConfig:
    """Check a decoded config object; every error names the key. Relative TLS file names
    are taken from ``base`` (the config file's folder)."""
    if not isinstance(obj, dict):
        raise ConfigError("kiosk config: must be a JSON object")
    device_id = _get(obj, "device_id", str)
    if not is_device_id(device_id):
        raise ConfigError(
            f"kiosk config: `device_id` must be 2-32 of a-z 0-9 - _, got {device_id!r}"
        )
    broker = _get(obj, "broker", dict)
    cfg = KioskConfig(
        device_id=device_id,
        station=_get(obj, "station", str, ""),
        broker_host=_get(broker, "host", str),
        broker_port=_get(broker, "port", int),
        hw=_get(obj, "hw", str, "kiosk-r1"),
        keepalive_s=_get(obj, "keepalive_s", int, 30),
        tele_interval_s=_get(obj, "tele_interval_s", int, 10),
        camera=_get(obj, "camera", str, "synthetic"),
        camera_fps=float(_get(obj, "camera_fps", float, 10.0)),
        **_tls(broker, base),
    )
    if not 1 <= cfg.broker_port <= 65535:
        raise ConfigError(f"kiosk config: `broker.port` must be 1-65535, got {cfg.broker_port}")
    if not 5 <= cfg.keepalive_s <= 3600:
        raise ConfigError(f"kiosk config: `keepalive_s` must be 5-3600, got {cfg.keepalive_s}")
    if not 1 <= cfg.tele_interval_s <= 3600:
        raise ConfigError(
            f"kiosk config: `tele_interval_s` must be 1-3600, got {cfg.tele_interval_s}"
        )
    if cfg.camera != "synthetic":
        raise ConfigError(f"kiosk config: `camera` must be 'synthetic' for now, got {cfg.camera!r}")
    if not 0.5 <= cfg.camera_fps <= 60:
        raise ConfigError(f"kiosk config: `camera_fps` must be 0.5-60, got {cfg.camera_fps}")
    return cfg


def _tls(broker: dict[str, Any], base: Path | None) -> dict[str, Path]:
    if "tls" not in broker:
        return {}
    tls = _get(broker, "tls", dict)
    found = {}
    for key in ("ca", "cert", "key"):
        path = Path(_get(tls, key, str))
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            raise ConfigError(f"kiosk config: `broker.tls.{key}`: no file {path}")
        found[f"tls_{key}"] = path
    return found


def load_config(path: Path) -> KioskConfig:
    """Read and check a config file."""
    try:
        obj = json.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(f"kiosk config: cannot read {path}: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"kiosk config: {path} is not JSON: {exc}") from None
    return parse_config(obj, path.parent)
