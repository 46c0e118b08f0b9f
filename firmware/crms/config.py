# The device's configuration: one JSON file written by provisioning (`crmsensor badge
# provision`). Checked once at boot; every error names the key.
import json
import os

from crms import identity
from crms.files import beside
from crms.protocol import is_device_id


class ConfigError(ValueError):
    pass


DEFAULTS = {
    "kind": "badge",
    "hw": "badge-r1",
    "keepalive_s": 30,
    "tele_interval_s": 10,
}

# Recording: codec, audio blocks, silence trimming, storage and upload pacing.
REC_DEFAULTS = {
    "codec": "ima_adpcm",
    "rate": 16000,
    "block": 256,
    "max_s": 300,
    "max_gap_ms": 700,
    "hang_ms": 300,
    "preroll_ms": 64,
    "vad_ratio": 8,
    "vad_min_energy": 4,
    "min_free_kb": 4096,
    "chunk_size": 4096,
    "upload_gap_ms": 0,
    "ack_quiet_ms": 1000,
}
_REC_RANGES = {
    "rate": (8000, 48000),
    "block": (64, 1024),
    "max_s": (5, 3600),
    "max_gap_ms": (50, 60000),
    "hang_ms": (0, 5000),
    "preroll_ms": (16, 1000),
    "vad_ratio": (1, 1000),
    "vad_min_energy": (0, 1 << 20),
    "min_free_kb": (64, 1 << 24),
    "chunk_size": (256, 8192),
    "upload_gap_ms": (0, 10000),
    "ack_quiet_ms": (50, 30000),
}
# Settings the fleet may change with `set_config` (sections are merged key by key).
SETTABLE = ("tele_interval_s", "keepalive_s", "rec", "beam", "wifi", "station")


def offline(device_id="unconfigured"):
    # What the badge runs with when its config is missing or invalid: it records with the
    # defaults and keeps the recordings; no uplink until a valid config is provisioned.
    out = check_rec({"device_id": device_id})
    out["broker"] = None
    for k in DEFAULTS:
        out[k] = DEFAULTS[k]
    return out


def _need(cfg, key, kind, lo=None, hi=None, section=""):
    # cfg[key], checked; errors name the key with its section ("broker.port").
    name = "`" + section + key + "`"
    if key not in cfg:
        raise ConfigError("config: " + name + " is missing")
    v = cfg[key]
    if (kind is int and isinstance(v, bool)) or not isinstance(v, kind):
        raise ConfigError("config: " + name + " must be " + kind.__name__ + ", got " + repr(v))
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ConfigError(
            "config: " + name + " must be " + str(lo) + "-" + str(hi) + ", got " + repr(v)
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
    if "station" in out:
        _need(out, "station", str)
    if "wifi" in out:
        wifi = _need(out, "wifi", dict)
        _need(wifi, "ssid", str, section="wifi.")
        _need(wifi, "psk", str, section="wifi.")
    check_rec(out)
    broker = _need(out, "broker", dict)
    _need(broker, "host", str, section="broker.")
    _need(broker, "port", int, 1, 65535, section="broker.")
    if "tls" in broker:
        # Files written by provisioning next to the config (DER): the fleet CA, the
        # device's certificate and key; server_hostname is what the broker's certificate names.
        tls = _need(broker, "tls", dict, section="broker.")
        for k in ("ca", "cert", "key", "server_hostname"):
            _need(tls, k, str, section="broker.tls.")
    return out


def check_rec(out):
    # Fill and check the `rec` and `beam` sections of out (a config being checked).
    rec = {}
    for k in REC_DEFAULTS:
        rec[k] = REC_DEFAULTS[k]
    given = out.get("rec", {})
    if not isinstance(given, dict):
        raise ConfigError("config: `rec` must be an object")
    for k in given:
        if k not in REC_DEFAULTS:
            raise ConfigError("config: `rec." + k + "` is not a recording setting")
        rec[k] = given[k]
    if rec["codec"] not in ("pcm16", "ima_adpcm"):
        raise ConfigError(
            "config: `rec.codec` must be pcm16 or ima_adpcm, got " + repr(rec["codec"])
        )
    for k in _REC_RANGES:
        lo, hi = _REC_RANGES[k]
        _need(rec, k, int, lo, hi, section="rec.")
    out["rec"] = rec
    beam = out.get("beam", {})  # {}: the shipped design (crms/dsp/badge_beam.py)
    if not isinstance(beam, dict):
        raise ConfigError("config: `beam` must be an object")
    out["beam"] = beam
    return out


def _merge(cfg, changes):
    # cfg with `set_config` changes applied (sections merged one level deep).
    for k in changes:
        if k not in SETTABLE:
            raise ConfigError("config: `" + k + "` cannot be set remotely")
    out = {}
    for k in cfg:
        out[k] = cfg[k]
    for k in changes:
        v = changes[k]
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            section = {}
            for j in out[k]:
                section[j] = out[k][j]
            for j in v:
                section[j] = v[j]
            v = section
        out[k] = v
    return out


def apply(path, changes):
    # `set_config`: check the file's config with the changes, then replace the file
    # (write beside, rename: a power cut leaves the old or the new one). Returns load(path).
    with open(path) as f:
        raw = json.load(f)
    new = _merge(raw, changes)
    check(new)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(new, f)
    os.rename(tmp, path)
    return load(path)


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
            tls[k] = beside(path, tls[k])
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
