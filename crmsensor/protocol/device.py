"""Device-side encoders for CPython devices (the kiosk). The badge has the same in
``firmware/crms/protocol.py``; the shared vectors pin both to one wire format."""

from typing import Any

from crmsensor.errors import ProtocolError
from crmsensor.protocol.schema import decode_json, encode_json


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


def encode_event(
    seq: int,
    type_: str,
    ts: int | None,
    data: dict[str, Any] | None = None,
    boot: int | None = None,
) -> bytes:
    """``evt``; with ``boot``, the fleet stores it once per (device, boot, seq)."""
    obj: dict[str, Any] = {"v": 1, "seq": seq, "type": type_, "ts": ts}
    if data:
        obj["data"] = data
    if boot is not None:
        obj["boot"] = boot
    return encode_json(obj)


def decode_command(payload: bytes) -> tuple[str, str, dict[str, Any]]:
    """A ``cmd`` payload -> (id, op, args); :class:`ProtocolError` when malformed (then there is
    no trustworthy id to answer, docs/protocol.md)."""
    obj = decode_json(payload, "cmd")
    cmd_id, op, args = obj.get("id"), obj.get("op"), obj.get("args", {})
    if not isinstance(cmd_id, str) or not 1 <= len(cmd_id) <= 40:
        raise ProtocolError("schema", "cmd.id must be a string of 1-40 chars")
    if not isinstance(op, str) or not isinstance(args, dict):
        raise ProtocolError("schema", "cmd needs op (str) and args (object)")
    return cmd_id, op, args


def decode_event_ack(payload: bytes) -> list[tuple[int, int, int]] | None:
    """An ``ack`` payload -> its event ranges ``(boot, first, last)``, or None when it is a
    recording's ack (it has ``rec``); :class:`ProtocolError` when malformed."""
    obj = decode_json(payload, "ack")
    if "evt" not in obj:
        return None
    ranges = obj["evt"]
    if not isinstance(ranges, list):
        raise ProtocolError("schema", "ack.evt must be a list of [boot, first, last]")
    out = []
    for r in ranges:
        if (
            not isinstance(r, list)
            or len(r) != 3
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in r)
            or not (r[0] >= 0 and 0 <= r[1] <= r[2])
        ):
            raise ProtocolError("schema", f"ack.evt: bad range {r!r}")
        out.append((r[0], r[1], r[2]))
    return out


def encode_command_result(
    cmd_id: str, ok: bool, result: dict[str, Any] | None = None, error: str | None = None
) -> bytes:
    """``cmd/res``."""
    obj: dict[str, Any] = {"v": 1, "id": cmd_id, "ok": ok}
    if result is not None:
        obj["result"] = result
    if error is not None:
        obj["error"] = error[:256]
    return encode_json(obj)


def ota_progress(
    release: int, version: str, state: str, pct: int | None = None, reason: str | None = None
) -> dict[str, Any]:
    """The data of an ``ota`` event: an update's progress (docs/protocol.md, "Updates")."""
    from crmsensor.protocol.messages import OTA_STATES

    if state not in OTA_STATES:
        raise ValueError(f"unknown ota state {state!r}")
    data: dict[str, Any] = {"release": release, "version": version, "state": state}
    if pct is not None:
        data["pct"] = pct
    if reason:
        data["reason"] = reason[:200]
    return data


def decode_ota(args: dict[str, Any]) -> dict[str, Any]:
    """The ``ota`` command's args, checked; :class:`ProtocolError` naming the field."""
    release = args.get("release")
    if not isinstance(release, int) or isinstance(release, bool) or release < 1:
        raise ProtocolError("schema", "ota: release must be a positive whole number")
    for key, hi in (("version", 32), ("url", 512), ("manifest", 1024)):
        value = args.get(key)
        if not isinstance(value, str) or not 1 <= len(value) <= hi:
            raise ProtocolError("schema", f"ota: {key} must be a string of 1-{hi} characters")
    sig = args.get("sig")
    try:
        ok = isinstance(sig, str) and len(bytes.fromhex(sig)) == 256 and len(sig) == 512
    except ValueError:
        ok = False
    if not ok:
        raise ProtocolError("schema", "ota: sig must be 512 hex digits")
    return args
