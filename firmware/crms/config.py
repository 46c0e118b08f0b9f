# The device's configuration: one JSON file written by provisioning (`crmsensor badge
# provision`). Checked once at boot; every error names the key.
import json

from crms import identity
from crms.protocol import is_device_id


class ConfigError(ValueError):
    pass


DEFAULTS = {
    "kind": "badge",
    "hw": "badge-r1",
    "keepalive_s": 30,
    "tele_interval_s": 10,
}


def _need(cfg, key, kind, lo=None, hi=None):
    if key not in cfg:
        raise ConfigError("config: `" + key + "` is missing")
    v = cfg[key]
    if (kind is int and isinstance(v, bool)) or not isinstance(v, kind):
        raise ConfigError("config: `" + key + "` must be " + kind.__name__ + ", got " + repr(v))
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ConfigError(
            "config: `" + key + "` must be " + str(lo) + "-" + str(hi) + ", got " + repr(v)
        )
    return v


def check(cfg):
    out = {}
    for k in DEFAULTS:
        out[k] = DEFAULTS[k]
    for k in cfg:
        out[k] = cfg[k]
    if not is_device_id(_need(out, "device_id", str)):
        raise ConfigError(
            "config: `device_id` must be 2-32 of a-z 0-9 - _, got " + str(out["device_id"])
        )
    _need(out, "kind", str)
    _need(out, "hw", str)
    _need(out, "keepalive_s", int, 5, 3600)
    _need(out, "tele_interval_s", int, 1, 3600)
    broker = _need(out, "broker", dict)
    _need(broker, "host", str)
    _need(broker, "port", int, 1, 65535)
    if "tls" in broker:
        # Files written by provisioning next to the config (DER): the fleet CA, the
        # device's certificate and key; server_hostname is what the broker's certificate names.
        tls = _need(broker, "tls", dict)
        for k in ("ca", "cert", "key", "server_hostname"):
            _need(tls, k, str)
    return out


def _beside(path, name):
    # `name` relative to the folder holding `path` (MicroPython has no os.path).
    if name.startswith("/") or "/" not in path:
        return name
    return path.rsplit("/", 1)[0] + "/" + name


def load(path):
    try:
        with open(path) as f:
            cfg = json.load(f)
    except OSError as e:
        raise ConfigError("config: cannot read " + path + ": " + str(e)) from None
    except ValueError as e:
        raise ConfigError("config: " + path + " is not JSON: " + str(e)) from None
    if not isinstance(cfg, dict):
        raise ConfigError("config: " + path + " must hold a JSON object")
    out = check(cfg)
    tls = out["broker"].get("tls")
    if tls is not None:
        for k in ("ca", "cert", "key"):
            tls[k] = _beside(path, tls[k])
        identity.finish(tls)  # a certificate renewal cut short by a power loss
        for k in ("ca", "cert", "key"):
            try:
                with open(tls[k], "rb") as f:
                    f.read(1)
            except OSError as e:
                raise ConfigError(
                    "config: broker.tls." + k + ": cannot read " + tls[k] + ": " + str(e)
                ) from None
    return out
