"""Device configuration keys, declared once: the badge's ``config.json`` (which the
firmware's ``crms/config.py`` checks at boot) and the kiosk agent's (``edge_kiosk/config.py``).
Provisioning, the simulators and the CLI build configs through :func:`badge_config` and
:func:`kiosk_config` and check them with :func:`check_badge` / :func:`check_kiosk`; the
vectors (``tests/vectors/device_config_v1.json``, :func:`vectors`) pin the firmware's own
checker to this table under MicroPython, and the kiosk's parser to it, as the protocol
vectors pin the codecs.
"""

import copy
from dataclasses import dataclass
from typing import Any

from crmsensor.errors import ConfigError
from crmsensor.protocol import is_device_id


@dataclass(frozen=True)
class Key:
    """One setting: its dotted path, JSON type, range, whether it must be there (within its
    section, when the section is given) and what it is for."""

    path: str
    kind: type  # float accepts whole numbers too (JSON has one number type)
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    doc: str = ""

    @property
    def section(self) -> str:
        return self.path.rpartition(".")[0]


BADGE_KEYS: tuple[Key, ...] = (
    Key("device_id", str, True, doc="2-32 of a-z 0-9 - _ (the MQTT client id and topic)"),
    Key("kind", str, doc="badge"),
    Key("hw", str, doc="hardware revision"),
    Key("station", str, doc="the station the badge works at"),
    Key("keepalive_s", int, lo=5, hi=3600, doc="MQTT keepalive"),
    Key("tele_interval_s", int, lo=1, hi=3600, doc="telemetry period"),
    Key("wifi", dict, doc="the network joined while charging"),
    Key("wifi.ssid", str, True, doc="network name"),
    Key("wifi.psk", str, True, doc="WPA2 passphrase"),
    Key("broker", dict, True, doc="where the badge connects"),
    Key("broker.host", str, True),
    Key("broker.port", int, True, 1, 65535),
    Key("broker.tls", dict, doc="DER files beside config.json"),
    Key("broker.tls.ca", str, True, doc="the fleet CA"),
    Key("broker.tls.cert", str, True, doc="the badge's certificate"),
    Key("broker.tls.key", str, True, doc="the badge's private key"),
    Key("broker.tls.server_hostname", str, True, doc="the name in the broker's certificate"),
    Key("rec", dict, doc="recording settings (crms/config.py REC_DEFAULTS)"),
    Key("beam", dict, doc="an exported beamformer (crmsensor beam export); {}: shipped"),
)
BADGE_OPEN = ("rec", "beam")  # sections the firmware checks key by key itself

KIOSK_KEYS: tuple[Key, ...] = (
    Key("device_id", str, True, doc="2-32 of a-z 0-9 - _"),
    Key("kind", str, doc="kiosk"),
    Key("hw", str, doc="hardware revision"),
    Key("station", str, doc="the station the kiosk is at"),
    Key("keepalive_s", int, lo=5, hi=3600),
    Key("tele_interval_s", int, lo=1, hi=3600),
    Key("broker", dict, True),
    Key("broker.host", str, True),
    Key("broker.port", int, True, 1, 65535),
    Key("broker.tls", dict, doc="PEM files beside config.json"),
    Key("broker.tls.ca", str, True),
    Key("broker.tls.cert", str, True),
    Key("broker.tls.key", str, True),
    Key("camera", str, doc="synthetic, /dev/videoN, N, file:PATH or folder:PATH"),
    Key("camera_fps", float, lo=0.5, hi=60),
    Key("camera_size", list, doc="[width, height], 32-4096 each"),
    Key("replay_speed", float, lo=0.1, hi=100, doc="a file camera: x its own rate"),
    Key("rois", list, doc='[{"name": ..., "box": [x0, y0, x1, y1]}], multiples of 32 px'),
    Key("detector", dict, doc="edge_kiosk.detector: preset and overrides"),
    Key("queue_dir", str, doc="store-and-forward of events"),
    Key("queue_max", int, lo=10, hi=1_000_000),
    Key("presence_file", str, doc="session events, one JSON line each, for other programs"),
    Key("updates", dict, doc="signed agent updates (edge_kiosk/updater.py)"),
    Key("updates.trusted_keys", str, doc="release keys' JSON list, beside config.json"),
    Key("updates.root", str, doc="the managed install (launch.py's --root sets it too)"),
    Key("screen", dict, doc="the customers' touch screen (edge_kiosk/screen/)"),
    Key("screen.port", int, lo=0, hi=65535, doc="its local server, on 127.0.0.1 (0: any free)"),
    Key("screen.dir", str, doc="its plan and ad files"),
    Key("screen.quota_mb", int, lo=16, hi=1_000_000, doc="room for ad files"),
)
KIOSK_OPEN = ("detector",)  # edge_kiosk/config.py checks its keys against DetectorParams


def _lookup(cfg: dict[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = cfg
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _check(what: str, keys: tuple[Key, ...], open_sections: tuple[str, ...], cfg: Any) -> None:
    """Raise ConfigError naming the first key that is missing, of the wrong type or out of
    range, or that no device of this kind reads (a typo such as ``wifi.password`` would
    otherwise be ignored on the device)."""
    if not isinstance(cfg, dict):
        raise ConfigError(f"{what} config: must be a JSON object")
    for key in keys:
        present, value = _lookup(cfg, key.path)
        section_there = not key.section or _lookup(cfg, key.section)[0]
        if not present:
            if key.required and section_there:
                raise ConfigError(f"{what} config: `{key.path}` is missing")
            continue
        kinds = (int, float) if key.kind is float else (key.kind,)
        if not isinstance(value, kinds) or (key.kind in (int, float) and isinstance(value, bool)):
            raise ConfigError(f"{what} config: `{key.path}` must be {key.kind.__name__}, "
                              f"got {value!r}")  # fmt: skip
        number = float(value) if isinstance(value, int | float) else 0.0
        if key.lo is not None and key.hi is not None and not key.lo <= number <= key.hi:
            raise ConfigError(f"{what} config: `{key.path}` must be {key.lo:g}-{key.hi:g}, "
                              f"got {value!r}")  # fmt: skip
    if not is_device_id(cfg["device_id"]):
        raise ConfigError(f"{what} config: `device_id` must be 2-32 of a-z 0-9 - _, got "
                          f"{cfg['device_id']!r}")  # fmt: skip
    known = {k.path for k in keys}
    _check_known(what, known, open_sections, cfg, "")


def _check_known(
    what: str, known: set[str], open_sections: tuple[str, ...], node: dict[str, Any], prefix: str
) -> None:
    for name, value in node.items():
        path = prefix + name
        if path not in known:
            raise ConfigError(f"{what} config: `{path}` is not a {what} setting")
        if isinstance(value, dict) and path not in open_sections:
            _check_known(what, known, open_sections, value, path + ".")


def check_badge(cfg: Any) -> None:
    """A badge config as the badge would take it (see :func:`_check`)."""
    _check("badge", BADGE_KEYS, BADGE_OPEN, cfg)


def check_kiosk(cfg: Any) -> None:
    """A kiosk config's keys, types and ranges (edge_kiosk/config.py checks the rest)."""
    _check("kiosk", KIOSK_KEYS, KIOSK_OPEN, cfg)


def badge_config(
    device_id: str,
    station: str,
    broker_host: str,
    broker_port: int,
    *,
    hw: str = "badge-r1",
    tls: dict[str, str] | None = None,
    wifi: tuple[str, str] | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """A checked badge config. ``wifi``: (ssid, passphrase); ``settings``: more top-level
    keys (tele_interval_s, keepalive_s, rec, beam)."""
    cfg: dict[str, Any] = {
        "device_id": device_id,
        "kind": "badge",
        "station": station,
        "hw": hw,
        "broker": {"host": broker_host, "port": broker_port},
    }
    if tls is not None:
        cfg["broker"]["tls"] = dict(tls)
    if wifi is not None:
        cfg["wifi"] = {"ssid": wifi[0], "psk": wifi[1]}
    cfg.update(settings)
    check_badge(cfg)
    return cfg


def kiosk_config(
    device_id: str,
    station: str,
    broker_host: str,
    broker_port: int,
    *,
    tls: dict[str, str] | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """A checked kiosk config; ``settings``: more top-level keys (camera, rois, detector...)."""
    cfg: dict[str, Any] = {
        "device_id": device_id,
        "kind": "kiosk",
        "station": station,
        "broker": {"host": broker_host, "port": broker_port},
    }
    if tls is not None:
        cfg["broker"]["tls"] = dict(tls)
    cfg.update(settings)
    check_kiosk(cfg)
    return cfg


_WRONG = {str: 7, int: "7", float: "7", dict: [], list: {}, bool: "yes"}


def _invalid(full: dict[str, Any], keys: tuple[Key, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key in keys:
        cases: list[tuple[str, Any]] = [("type", _WRONG[key.kind])]
        if key.lo is not None and key.hi is not None:
            step = 1 if key.kind is int else 0.05
            cases += [("low", round(key.lo - step, 2)), ("high", round(key.hi + step, 2))]
        if key.required:
            cases.append(("missing", None))
        for label, value in cases:
            out.append({"name": f"{key.path} {label}", "key": key.path,
                        "config": _with(full, key.path, value)})  # fmt: skip
    typo = "camera_fsp" if keys is KIOSK_KEYS else "wifi.password"  # a key no device reads
    out.append({"name": "unknown key", "key": typo, "config": _with(full, typo, 1)})
    return out


def vectors() -> dict[str, Any]:
    """Configs the devices must accept and configs they must refuse (with the key the error
    names), derived from :data:`BADGE_KEYS` and :data:`KIOSK_KEYS`;
    tests/vectors/device_config_v1.json holds them."""
    full = badge_config(
        "badge-0001", "st-1", "broker.example", 8883, wifi=("forecourt", "s3cret pass"),
        tls={"ca": "ca.der", "cert": "cert.der", "key": "key.der",
             "server_hostname": "broker.example"},
        tele_interval_s=10, keepalive_s=30, rec={"codec": "pcm16"}, beam={},
    )  # fmt: skip
    minimal = {"device_id": "badge-0002", "broker": {"host": "h", "port": 1}}
    check_badge(minimal)
    kiosk = kiosk_config(
        "kiosk-0001", "st-1", "broker.example", 8883, hw="kiosk-r1", keepalive_s=30,
        tls={"ca": "ca.pem", "cert": "cert.pem", "key": "key.pem"},
        tele_interval_s=10, camera="synthetic", camera_fps=10, camera_size=[640, 480],
        replay_speed=1.0, rois=[{"name": "desk", "box": [128, 96, 512, 384]}],
        detector={"preset": "counter"}, queue_dir="queue", queue_max=10000,
        presence_file="presence.jsonl",
        updates={"trusted_keys": "release-keys.json", "root": "/opt/crmsensor/kiosk"},
        screen={"port": 8088, "dir": "screen", "quota_mb": 2048},
    )  # fmt: skip
    badge_invalid = _invalid(full, BADGE_KEYS)
    # the firmware reads what it knows and ignores the rest: unknown keys are the host's check
    badge_invalid = [v for v in badge_invalid if v["name"] != "unknown key"]
    return {
        "version": 1,
        "valid": {"full": full, "minimal": minimal},
        "invalid": badge_invalid,
        "kiosk": {"valid": {"full": kiosk}, "invalid": _invalid(kiosk, KIOSK_KEYS)},
    }


def _with(cfg: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of cfg with path set to value (None: removed)."""
    out = copy.deepcopy(cfg)
    *parents, last = path.split(".")
    node = out
    for p in parents:
        node = node[p]
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return out


if __name__ == "__main__":  # regenerate the vectors: python -m crmsensor.device_config
    import json

    print(json.dumps(vectors(), indent=1))
