# The MQTT contract, device side: topic names, payload encoders, downlink parsers.
# Pure functions over bytes, no IO; pinned against the fleet's CPython side by
# tests/vectors/protocol_v1.json (run under the MicroPython unix port).
import binascii
import json
import struct

from micropython import const

PREFIX = "crms/v1/"

STATUS = "status"
TELE = "tele"
EVT = "evt"
CMD_RES = "cmd/res"
ACK = "ack"
CMD = "cmd"

# Same bytes as crmsensor.protocol.LAST_WILL_PAYLOAD (sorted keys, compact).
LAST_WILL = b'{"reason":"lost","state":"offline","v":1}'

CHUNK_MAGIC = b"CK"
CHUNK_HEADER = "!2sBBIIHI"
CHUNK_HEADER_SIZE = const(18)
CHUNK_FLAG_LAST = const(1)
MAX_CHUNK_DATA = const(8192)
MAX_JSON = const(2048)

_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def is_device_id(s):
    if not 2 <= len(s) <= 32 or s[0] not in _ID_CHARS:
        return False
    return all(c in _ID_CHARS or c in "-_" for c in s)


def topic(device_id, channel, rec_id=None):
    if rec_id is not None:
        return PREFIX + device_id + "/rec/" + rec_id + "/" + channel
    return PREFIX + device_id + "/" + channel


def _dump(obj):
    obj["v"] = 1
    return json.dumps(obj, separators=(",", ":")).encode()


def status_online(kind, fw, hw, boot, keepalive_s):
    return _dump(
        {
            "state": "online",
            "kind": kind,
            "fw": fw,
            "hw": hw,
            "boot": boot,
            "keepalive_s": keepalive_s,
        }
    )


def status_offline(reason):
    return _dump({"state": "offline", "reason": reason})


def telemetry(fields):
    # fields: dict with at least seq and uptime_s; the caller owns the dict, we copy.
    out = {}
    for k in fields:
        out[k] = fields[k]
    return _dump(out)


def event(seq, type_, ts, data=None, boot=None):
    # boot: the boot id (as in status); the fleet stores (device, boot, seq) once
    obj = {"seq": seq, "type": type_, "ts": ts}
    if data:
        obj["data"] = data
    if boot is not None:
        obj["boot"] = boot
    return _dump(obj)


def manifest(
    size,
    chunk_size,
    sha256_hex,
    codec,
    rate,
    duration_ms,
    start_ts,
    worn_session,
    kiosk=None,
    preroll=None,
):
    chunks = (size + chunk_size - 1) // chunk_size
    obj = {
        "size": size,
        "chunks": chunks,
        "chunk_size": chunk_size,
        "sha256": sha256_hex,
        "codec": codec,
        "rate": rate,
        "duration_ms": duration_ms,
        "start_ts": start_ts,
        "worn_session": worn_session,
    }
    if kiosk:
        obj["kiosk_session"] = kiosk  # the cash desk's service session, when there was one
    if preroll:
        # (session, ms): this recording's last ms came just before that kiosk session began
        obj["preroll_session"] = preroll[0]
        obj["preroll_ms"] = preroll[1]
    return _dump(obj)


def chunk_header(buf, index, offset, data, last):
    # Fill the first 18 bytes of buf (a bytearray the caller allocated once) for data.
    if len(data) > MAX_CHUNK_DATA:
        raise ValueError("chunk data too long")
    crc = binascii.crc32(data) & 0xFFFFFFFF
    flags = CHUNK_FLAG_LAST if last else 0
    struct.pack_into(CHUNK_HEADER, buf, 0, CHUNK_MAGIC, 1, flags, index, offset, len(data), crc)


def chunk(index, offset, data, last):
    buf = bytearray(CHUNK_HEADER_SIZE + len(data))
    chunk_header(buf, index, offset, data, last)
    buf[CHUNK_HEADER_SIZE:] = data
    return bytes(buf)


def cmd_result(cmd_id, ok, result=None, error=None):
    obj = {"id": cmd_id, "ok": ok}
    if result is not None:
        obj["result"] = result
    if error is not None:
        obj["error"] = error
    return _dump(obj)


def _load(payload):
    if len(payload) > MAX_JSON:
        raise ValueError("oversized")
    obj = json.loads(payload)
    if not isinstance(obj, dict) or obj.get("v") != 1:
        raise ValueError("not a v1 object")
    return obj


def parse_ack(payload):
    # -> (rec_id, [(start, end), ...], complete); ValueError when malformed.
    rec, ranges, complete, _error = parse_ack_error(payload)
    return rec, ranges, complete


def parse_ack_error(payload):
    # -> (rec_id, ranges, complete, error or None): error is why the fleet dropped an upload
    # (`sha256_mismatch`: send it again from the manifest; `rec_id_taken`: do not resend).
    obj = _load(payload)
    rec = obj.get("rec")
    ranges = obj.get("ranges")
    complete = obj.get("complete")
    if not isinstance(rec, str) or not isinstance(ranges, list) or not isinstance(complete, bool):
        raise ValueError("ack needs rec, ranges, complete")
    out = []
    for r in ranges:
        if not isinstance(r, list) or len(r) != 2 or not 0 <= r[0] <= r[1]:
            raise ValueError("bad ack range")
        out.append((r[0], r[1]))
    error = obj.get("error")
    if error is not None and not isinstance(error, str):
        raise ValueError("ack error must be a string")
    return rec, out, complete, error


def parse_evt_ack(payload):
    # -> [(boot, first, last), ...]: the events the fleet has committed (first..last inclusive);
    # None for a recording's ack; ValueError when malformed.
    obj = _load(payload)
    ranges = obj.get("evt")
    if ranges is None:
        return None
    if not isinstance(ranges, list):
        raise ValueError("ack evt must be a list")
    out = []
    for r in ranges:
        if not isinstance(r, list) or len(r) != 3:
            raise ValueError("bad evt range")
        for x in r:
            if not isinstance(x, int) or isinstance(x, bool):
                raise ValueError("bad evt range")
        if not (r[0] >= 0 and 0 <= r[1] <= r[2]):
            raise ValueError("bad evt range")
        out.append((r[0], r[1], r[2]))
    return out


def parse_command(payload):
    # -> (cmd_id, op, args); ValueError when malformed.
    obj = _load(payload)
    cmd_id = obj.get("id")
    op = obj.get("op")
    args = obj.get("args", {})
    if not isinstance(cmd_id, str) or not isinstance(op, str) or not isinstance(args, dict):
        raise ValueError("command needs id, op, args")
    return cmd_id, op, args


# An update's progress, the data of an `ota` event (docs/protocol.md, "Updates").
OTA_STATES = (
    "downloading",
    "verifying",
    "applying",
    "rebooting",
    "healthy",
    "rolled_back",
    "error",
)


def ota_progress(release, version, state, pct=None, reason=None):
    if state not in OTA_STATES:
        raise ValueError("unknown ota state")
    data = {"release": release, "version": version, "state": state}
    if pct is not None:
        data["pct"] = pct
    if reason:
        data["reason"] = reason[:200]
    return data


def parse_ota(args):
    # The `ota` command's args -> the same dict, checked; ValueError naming the field.
    # {"release": id, "version": "1.2.0", "url": "https://...", "manifest": "{...}",
    #  "sig": 512 hex digits}
    release = args.get("release")
    if not isinstance(release, int) or release < 1:
        raise ValueError("ota: release must be a positive whole number")
    for k, hi in (("version", 32), ("url", 512), ("manifest", 1024)):
        v = args.get(k)
        if not isinstance(v, str) or not 1 <= len(v) <= hi:
            raise ValueError("ota: %s must be a string of 1-%d characters" % (k, hi))
    sig = args.get("sig")
    if not isinstance(sig, str) or len(sig) != 512:
        raise ValueError("ota: sig must be 512 hex digits")
    try:
        bytes.fromhex(sig)
    except ValueError:
        raise ValueError("ota: sig must be 512 hex digits") from None
    return args
