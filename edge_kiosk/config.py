"""The kiosk's configuration file (JSON, written by provisioning), checked at load.

Beyond identity and broker (see :class:`KioskConfig`)::

    "camera": "synthetic" | "/dev/video0" | "0" | "file:PATH" | "folder:PATH",
    "camera_fps": 10, "camera_size": [640, 480], "replay_speed": 1.0,
    "rois": [{"name": "desk", "box": [x0, y0, x1, y1]}],   # multiples of 32 px
    "detector": {"preset": "counter", "enter": 0.15, ...},  # edge_kiosk.detector
    "queue_dir": "queue", "queue_max": 10000,              # store-and-forward of events
    "presence_file": "presence.jsonl",                     # session events, one per line
    "screen": {"port": 8088, "dir": "screen", "quota_mb": 2048}  # the customers' screen

Relative paths are taken from the config file's folder. Every error names the key.
"""

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsensor.device_config import check_kiosk
from crmsensor.errors import ConfigError
from crmsensor.protocol import is_device_id
from edge_kiosk.detector import PRESETS, DetectorParams
from edge_kiosk.roi import Roi

_ROI_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


DEFAULT_ROIS = (Roi("desk", 128, 96, 512, 384),)  # the middle of a 640x480 frame


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
    camera_size: tuple[int, int] = (640, 480)  # width, height
    replay_speed: float = 1.0  # a file camera: x its own rate
    rois: tuple[Roi, ...] = DEFAULT_ROIS
    detector: DetectorParams = field(default_factory=DetectorParams)
    queue_dir: Path = Path("queue")
    queue_max: int = 10000
    presence_file: Path | None = None
    # TLS with a client certificate (PEM files written by provisioning); None: plain MQTT.
    tls_ca: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # Updates (edge_kiosk/updater.py): the managed install and the release keys it trusts;
    # None: updates are refused.
    update_root: Path | None = None
    trusted_keys: Path | None = None
    # The customers' screen (edge_kiosk/screen/): its local server's port (0: any free one;
    # None: no screen), its plan and files, and the room they may take.
    screen_port: int | None = None
    screen_dir: Path = Path("screen")
    screen_quota_mb: int = 2048


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


def _updates(obj: dict[str, Any], base: Path | None) -> dict[str, Any]:
    u = obj.get("updates", {})
    return {
        "update_root": _path(u["root"], base) if "root" in u else None,
        "trusted_keys": _path(u["trusted_keys"], base) if "trusted_keys" in u else None,
    }


def _screen(obj: dict[str, Any], base: Path | None) -> dict[str, Any]:
    if "screen" not in obj:
        return {}
    s = obj["screen"]
    return {
        "screen_port": s.get("port", 8088),
        "screen_dir": _path(s.get("dir", "screen"), base),
        "screen_quota_mb": s.get("quota_mb", 2048),
    }


def parse_config(obj: Any, base: Path | None = None) -> KioskConfig:
    """Check a decoded config object; every error names the key. Relative TLS file names
    are taken from ``base`` (the config file's folder)."""
    if not isinstance(obj, dict):
        raise ConfigError("kiosk config: must be a JSON object")
    check_kiosk(obj)  # keys, types and ranges: crmsensor/device_config.py
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
        camera_size=_size(obj),
        replay_speed=float(_get(obj, "replay_speed", float, 1.0)),
        rois=_rois(obj),
        detector=_detector(obj),
        queue_dir=_path(_get(obj, "queue_dir", str, "queue"), base),
        queue_max=_get(obj, "queue_max", int, 10000),
        presence_file=_path(obj["presence_file"], base) if "presence_file" in obj else None,
        **_tls(broker, base),
        **_updates(obj, base),
        **_screen(obj, base),
    )
    if not (
        cfg.camera == "synthetic"
        or cfg.camera.isdigit()
        or cfg.camera.startswith(("/dev/", "file:", "folder:"))
    ):
        raise ConfigError(
            "kiosk config: `camera` must be synthetic, /dev/videoN, N, file:PATH or folder:PATH, "
            f"got {cfg.camera!r}"
        )
    width, height = cfg.camera_size
    for roi in cfg.rois:
        if not roi.fits(width, height):
            raise ConfigError(
                f"kiosk config: `rois` {roi.name}: box {list(roi.box)} is outside the "
                f"{width}x{height} camera frame"
            )
    return cfg


def _path(value: Any, base: Path | None) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"kiosk config: a path must be a non-empty string, got {value!r}")
    path = Path(value)
    return base / path if base is not None and not path.is_absolute() else path


def _size(obj: dict[str, Any]) -> tuple[int, int]:
    size = _get(obj, "camera_size", list, [640, 480])
    if len(size) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in size):
        raise ConfigError(f"kiosk config: `camera_size` must be [width, height], got {size!r}")
    if not (32 <= size[0] <= 4096 and 32 <= size[1] <= 4096):
        raise ConfigError(f"kiosk config: `camera_size` must be 32-4096 each, got {size!r}")
    return size[0], size[1]


def _rois(obj: dict[str, Any]) -> tuple[Roi, ...]:
    if "rois" not in obj:
        return DEFAULT_ROIS
    raw = _get(obj, "rois", list)
    if not raw:
        raise ConfigError("kiosk config: `rois` must list at least one region")
    rois = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ConfigError(f"kiosk config: `rois[{i}]` must be an object with name and box")
        name = _get(item, "name", str)
        if not _ROI_NAME.fullmatch(name):
            raise ConfigError(f"kiosk config: `rois[{i}].name` must be 1-32 of a-z 0-9 _ -")
        box = _get(item, "box", list)
        ok = len(box) == 4 and all(isinstance(v, int) and not isinstance(v, bool) for v in box)
        if not ok:
            raise ConfigError(f"kiosk config: `rois` {name}: box must be 4 whole numbers")
        x0, y0, x1, y1 = box
        if x1 <= x0 or y1 <= y0 or (x1 - x0) % 32 or (y1 - y0) % 32:
            raise ConfigError(
                f"kiosk config: `rois` {name}: box {box} must be a positive multiple of 32 px "
                "each way"
            )
        rois.append(Roi(name, x0, y0, x1, y1))
    if len({r.name for r in rois}) != len(rois):
        raise ConfigError("kiosk config: `rois` names must be unique")
    return tuple(rois)


def _detector(obj: dict[str, Any]) -> DetectorParams:
    raw = dict(_get(obj, "detector", dict, {}) if "detector" in obj else {})
    name = raw.pop("preset", "counter")
    if name not in PRESETS:
        raise ConfigError(
            f"kiosk config: `detector.preset` must be one of {', '.join(PRESETS)}, got {name!r}"
        )
    known = {f.name: f for f in dataclasses.fields(DetectorParams)}
    values: dict[str, Any] = dict(PRESETS[name])
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(
                f"kiosk config: `detector.{key}` is not a setting (known: {', '.join(known)})"
            )
        default = getattr(DetectorParams(), key)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(
                    f"kiosk config: `detector.{key}` must be true or false, got {value!r}"
                )
        elif not number or (isinstance(default, int) and not isinstance(value, int)):
            raise ConfigError(
                f"kiosk config: `detector.{key}` must be {type(default).__name__}, got {value!r}"
            )
        values[key] = float(value) if isinstance(default, float) else value
    params = DetectorParams(**values)
    try:
        params.check()
    except ValueError as exc:
        raise ConfigError(f"kiosk config: {exc}") from None
    return params


def _tls(broker: dict[str, Any], base: Path | None) -> dict[str, Any]:
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
