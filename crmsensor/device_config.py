"""The badge's configuration keys, declared once (``config.json``, which the firmware's
``crms/config.py`` checks at boot). Provisioning, the simulators and the CLI build configs
through :func:`badge_config` and check them with :func:`check_badge`; the vectors
(``tests/vectors/device_config_v1.json``, :func:`vectors`) pin the firmware's own checker to
this table under MicroPython, as the protocol vectors pin its codecs.
"""

from dataclasses import dataclass
from typing import Any

from crmsensor.errors import ConfigError
from crmsensor.protocol import is_device_id


@dataclass(frozen=True)
class Key:
    """One setting: its dotted path, JSON type, range, whether it must be there (within its
    section, when the section is given) and what it is for."""

    path: str
    kind: type
    required: bool = False
    lo: int | None = None
    hi: int | None = None
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
_BY_PATH = {k.path: k for k in BADGE_KEYS}


def _lookup(cfg: dict[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = cfg
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def check_badge(cfg: Any) -> None:
    """Raise ConfigError naming the first key that the badge would refuse, or that no badge
    reads (a typo such as ``wifi.password`` would otherwise be ignored on the device)."""
    if not isinstance(cfg, dict):
        raise ConfigError("badge config: must be a JSON object")
    for key in BADGE_KEYS:
        present, value = _lookup(cfg, key.path)
        section_there = not key.section or _lookup(cfg, key.section)[0]
        if not present:
            if key.required and section_there:
                raise ConfigError(f"badge config: `{key.path}` is missing")
            continue
        bad_type = not isinstance(value, key.kind) or (key.kind is int and isinstance(value, bool))
        if bad_type:
            raise ConfigError(f"badge config: `{key.path}` must be {key.kind.__name__}, "
                              f"got {value!r}")  # fmt: skip
        if key.lo is not None and key.hi is not None and not key.lo <= value <= key.hi:
            raise ConfigError(
                f"badge config: `{key.path}` must be {key.lo}-{key.hi}, got {value!r}"
            )
    if not is_device_id(cfg["device_id"]):
        raise ConfigError(f"badge config: `device_id` must be 2-32 of a-z 0-9 - _, got "
                          f"{cfg['device_id']!r}")  # fmt: skip
    _check_known(cfg, "")


def _check_known(node: dict[str, Any], prefix: str) -> None:
    for name, value in node.items():
        path = prefix + name
        key = _BY_PATH.get(path)
        if key is None:
            raise ConfigError(f"badge config: `{path}` is not a badge setting")
        if isinstance(value, dict) and path not in ("rec", "beam"):  # those the firmware checks
            _check_known(value, path + ".")


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


_WRONG = {str: 7, int: "7", dict: [], bool: "yes"}


def vectors() -> dict[str, Any]:
    """Configs the badge must accept and configs it must refuse (with the key the error
    names), derived from :data:`BADGE_KEYS`; tests/vectors/device_config_v1.json holds them."""
    full = badge_config(
        "badge-0001", "st-1", "broker.example", 8883, wifi=("forecourt", "s3cret pass"),
        tls={"ca": "ca.der", "cert": "cert.der", "key": "key.der",
             "server_hostname": "broker.example"},
        tele_interval_s=10, keepalive_s=30, rec={"codec": "pcm16"}, beam={},
    )  # fmt: skip
    minimal = {"device_id": "badge-0002", "broker": {"host": "h", "port": 1}}
    check_badge(minimal)
    invalid: list[dict[str, Any]] = []
    for key in BADGE_KEYS:
        for label, value in [("type", _WRONG[key.kind])] + (
            [("low", key.lo - 1), ("high", (key.hi or 0) + 1)] if key.lo is not None else []
        ):
            invalid.append({"name": f"{key.path} {label}", "key": key.path,
                            "config": _with(full, key.path, value)})  # fmt: skip
        if key.required:
            invalid.append({"name": f"{key.path} missing", "key": key.path,
                            "config": _with(full, key.path, None)})  # fmt: skip
    return {"version": 1, "valid": {"full": full, "minimal": minimal}, "invalid": invalid}


def _with(cfg: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of cfg with path set to value (None: removed)."""
    import copy

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
