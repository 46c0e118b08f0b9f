"""Device-side encoders for CPython devices (the kiosk). The badge has the same in
``firmware/crms/protocol.py``; the shared vectors pin both to one wire format."""

from typing import Any

from crmsensor.protocol.schema import encode_json


def encode_status_online(kind: str, fw: str, hw: str, boot: int, keepalive_s: int) -> bytes:
    """Retained ``status`` published right after connecting."""
    return encode_json(
        {
            "v": 1,
            "state": "online",
            "kind": kind,
            "fw": fw,
            "hw": hw,
            "boot": boot,
            "keepalive_s": keepalive_s,
        }
    )


def encode_status_offline(reason: str) -> bytes:
    """Retained ``status`` published before an orderly disconnect."""
    return encode_json({"v": 1, "state": "offline", "reason": reason})


def encode_telemetry(fields: dict[str, Any]) -> bytes:
    """``tele``: ``fields`` must hold ``seq`` and ``uptime_s``."""
    return encode_json({"v": 1, **fields})


def encode_event(seq: int, type_: str, ts: int | None, data: dict[str, Any] | None = None) -> bytes:
    """``evt``."""
    obj: dict[str, Any] = {"v": 1, "seq": seq, "type": type_, "ts": ts}
    if data:
        obj["data"] = data
    return encode_json(obj)
