"""JSON messages of the contract: what each channel carries, decoded and validated.

Device-to-fleet messages are decoded here (:func:`decode`); fleet-to-device messages
(``ack``, ``cmd``) are built here. docs/protocol.md is the prose version of these tables and
tests/vectors/protocol_v1.json pins them against the firmware's encoder.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crmsensor.errors import ProtocolError
from crmsensor.protocol.chunks import Chunk, decode_chunk
from crmsensor.protocol.schema import Field, decode_json, encode_json, validate
from crmsensor.protocol.topics import Channel, Topic

DEVICE_KINDS = ("badge", "kiosk")
EVENT_TYPES = (
    "boot",
    "worn",
    "unworn",
    "rec_start",
    "rec_stop",
    "session_start",
    "session_end",
    "storage_low",
    "ota",
    "error",
    "rating",
    "play",
    "screen",
)
CODECS = ("pcm16", "ima_adpcm")
COMMAND_OPS = (
    "ping",
    "reboot",
    "set_config",
    "rec_start",
    "rec_stop",
    "storage",
    "ota",
    "renew_cert",
    "scenario",
)

_U32 = 2**32 - 1
MAX_PREROLL_MS = 60_000  # a kiosk's confirmation time plus a margin, at most

STATUS_FIELDS = (
    Field("state", str, required=True, choices=("online", "offline")),
    Field("kind", str, choices=DEVICE_KINDS),
    Field("fw", str, hi=32),
    Field("hw", str, hi=32),
    Field("boot", int, lo=0, hi=_U32),
    Field("keepalive_s", int, lo=5, hi=3600),
    Field("reason", str, hi=64),
)

TELE_FIELDS = (
    Field("seq", int, required=True, lo=0, hi=_U32),
    # the boot it was sent in (as in status): (device, boot, seq) is stored once
    Field("boot", int, lo=0, hi=_U32),
    Field("uptime_s", int, required=True, lo=0, hi=_U32),
    Field("ts", int, nullable=True, lo=0, hi=_U32),
    Field("fw", str, hi=32),
    Field("batt_mv", int, lo=0, hi=10000),
    Field("batt_pct", int, lo=0, hi=100),
    Field("charging", bool),
    Field("storage_free_kb", int, lo=0, hi=_U32),
    Field("rssi_dbm", int, nullable=True, lo=-127, hi=0),
    Field("heap_free", int, lo=0, hi=_U32),
    Field("worn", bool),
    Field("backlog", int, lo=0, hi=_U32),
    # kiosk
    Field("fps", float, lo=0, hi=240),
    Field("camera_ok", bool),
    Field("sessions_today", int, lo=0, hi=_U32),
    Field("sessions_hour", int, lo=0, hi=_U32),
    Field("service_s_avg", float, nullable=True, lo=0, hi=86400),
    Field("proc_ms", float, lo=0, hi=60000),
    Field("cpu_pct", float, lo=0, hi=6400),
    Field("temp_c", float, nullable=True, lo=-60, hi=150),
    Field("camera_errors", int, lo=0, hi=_U32),
    Field("frames_skipped", int, lo=0, hi=_U32),
    Field("queue", int, lo=0, hi=_U32),
)

EVT_FIELDS = (
    Field("seq", int, required=True, lo=0, hi=_U32),
    Field("boot", int, lo=0, hi=_U32),  # as in tele
    Field("type", str, required=True, choices=EVENT_TYPES),
    Field("ts", int, nullable=True, lo=0, hi=_U32),
    Field("data", dict),
)

# ``evt`` of type ``ota``: an update's progress on the device (docs/protocol.md, "Updates").
OTA_STATES = (
    "downloading",  # pct: share of the bundle held
    "verifying",  # size, SHA-256 and signature
    "applying",  # writing the inactive slot
    "rebooting",  # into the new version, on trial
    "healthy",  # the new version passed its health check and is kept
    "rolled_back",  # the new version failed its health check; the old one runs
    "error",  # refused or failed before switching; the old version keeps running
)
OTA_EVENT_FIELDS = (
    Field("release", int, required=True, lo=1, hi=2**53),
    Field("version", str, required=True, lo=1, hi=32),
    Field("state", str, required=True, choices=OTA_STATES),
    Field("pct", int, lo=0, hi=100),
    Field("reason", str, hi=200),
)

# ``evt`` of type ``rating``: a customer's answers on the kiosk's screen (docs/protocol.md,
# "Ratings"); ``session`` is the kiosk session it followed ("" when none).
STAFF_ROLES = ("cashier", "fuel_attendant", "shop")
RATING_FIELDS = (
    Field("session", str, required=True, hi=40),
    Field("scenario", str, required=True, lo=1, hi=40),
    Field("version", int, required=True, lo=1, hi=2**31),
    Field("t_s", float, required=True, lo=0),
    Field("lang", str, lo=2, hi=8),
    Field("nps", int, lo=0, hi=10),
    Field("reasons", list, hi=10),
    Field("staff", dict, hi=len(STAFF_ROLES)),
    Field("comment", str, hi=500),
)


def check_rating(data: dict[str, Any], what: str) -> dict[str, Any]:
    """A rating's data checked (ProtocolError naming the field): the fields, each reason a
    text of 1-40 characters, each staff rating 1-5 for a known role."""
    f = validate(data, RATING_FIELDS, what)
    for r in f.get("reasons", []):
        if not isinstance(r, str) or not 1 <= len(r) <= 40:
            raise ProtocolError("schema", f"{what}.reasons: each is a text of 1-40 characters")
    for role, stars in f.get("staff", {}).items():
        if role not in STAFF_ROLES:
            raise ProtocolError("schema", f"{what}.staff: {role[:40]!r} is not a staff role")
        if type(stars) is not int or not 1 <= stars <= 5:
            raise ProtocolError("schema", f"{what}.staff.{role} must be 1-5, got {stars!r}")
    if "nps" not in f and not f.get("staff"):
        raise ProtocolError("schema", f"{what}: a rating has nps or staff ratings")
    return f


# ``evt`` of type ``play``: proof of play, one file's tally for one clock hour on one kiosk.
PLAY_FIELDS = (
    Field("content", str, required=True, lo=64, hi=64),  # the file's SHA-256, hex
    Field("scenario", str, required=True, lo=1, hi=40),
    Field("version", int, required=True, lo=1, hi=2**31),
    Field("hour", int, required=True, lo=0, hi=_U32),  # Unix s, a multiple of 3600
    Field("plays", int, required=True, lo=1, hi=100_000),
    Field("seconds", float, required=True, lo=0, hi=3600 * 100),  # on screen, all plays
    Field("present", int, required=True, lo=0, hi=100_000),  # plays with a customer there
    Field("errors", int, lo=0, hi=100_000),  # plays that failed
    Field("reason", str, hi=200),  # why the last one failed
)
# ``evt`` of type ``screen``: what the kiosk made of a ``scenario`` command's plan.
SCREEN_STATES = ("applied", "partial", "refused")
SCREEN_FIELDS = (
    Field("plan", str, required=True, lo=64, hi=64),
    Field("state", str, required=True, choices=SCREEN_STATES),
    Field("missing", int, lo=0, hi=10_000),  # files it could not fetch (partial)
    Field("reason", str, hi=200),
)
# ``cmd`` of op ``scenario``: a new plan for the kiosk's screen, fetched from ``url``.
SCENARIO_ARGS = (
    Field("plan", str, required=True, lo=64, hi=64),
    Field("url", str, required=True, lo=8, hi=400),
)


def check_play(data: dict[str, Any], what: str) -> dict[str, Any]:
    f = validate(data, PLAY_FIELDS, what)
    if not is_sha256(f["content"]):
        raise ProtocolError("schema", f"{what}.content must be a SHA-256 in lowercase hex")
    if f["hour"] % 3600:
        raise ProtocolError("schema", f"{what}.hour must be the start of an hour")
    if f["present"] > f["plays"] or f.get("errors", 0) > f["plays"]:
        raise ProtocolError("schema", f"{what}: present and errors are at most plays")
    return f


def check_screen(data: dict[str, Any], what: str) -> dict[str, Any]:
    f = validate(data, SCREEN_FIELDS, what)
    if not is_sha256(f["plan"]):
        raise ProtocolError("schema", f"{what}.plan must be a SHA-256 in lowercase hex")
    return f


def check_scenario_args(args: dict[str, Any], what: str) -> dict[str, Any]:
    f = validate(args, SCENARIO_ARGS, what)
    if not is_sha256(f["plan"]):
        raise ProtocolError("schema", f"{what}.plan must be a SHA-256 in lowercase hex")
    if not f["url"].startswith(("https://", "http://")):
        raise ProtocolError("schema", f"{what}.url must be http(s)")
    return f


MANIFEST_FIELDS = (
    Field("size", int, required=True, lo=0, hi=_U32),
    Field("chunks", int, required=True, lo=0, hi=_U32),
    Field("chunk_size", int, required=True, lo=256, hi=8192),
    Field("sha256", str, required=True, lo=64, hi=64),
    Field("codec", str, required=True, choices=CODECS),
    Field("rate", int, required=True, lo=8000, hi=48000),
    Field("duration_ms", int, required=True, lo=0, hi=_U32),
    Field("start_ts", int, nullable=True, lo=0, hi=_U32),
    Field("worn_session", str, nullable=True, hi=40),
    Field("kiosk_session", str, nullable=True, hi=40),
    # The recording's last preroll_ms came just before kiosk session preroll_session began.
    Field("preroll_session", str, lo=1, hi=40),
    Field("preroll_ms", int, lo=0, hi=MAX_PREROLL_MS),
)

CMD_RES_FIELDS = (
    Field("id", str, required=True, lo=1, hi=40),
    Field("ok", bool, required=True),
    Field("result", dict),
    Field("error", str, hi=256),
)


@dataclass(frozen=True)
class Status:
    """``status``: retained presence. The broker publishes the last will on a lost link."""

    device_id: str
    state: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Telemetry:
    """``tele``: periodic health; ``fields`` holds the known fields present."""

    device_id: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class Event:
    """``evt``: something happened on the device."""

    device_id: str
    seq: int
    type: str
    ts: int | None
    data: dict[str, Any]
    boot: int | None = None  # the boot it was sent in; (device, boot, seq) is stored once


@dataclass(frozen=True)
class Manifest:
    """``rec/<id>/manifest``: what a recording's chunks add up to."""

    device_id: str
    recording_id: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class ChunkMessage:
    """``rec/<id>/chunk``: one binary chunk of a recording."""

    device_id: str
    recording_id: str
    chunk: Chunk


@dataclass(frozen=True)
class CommandResult:
    """``cmd/res``: a device's answer to a command."""

    device_id: str
    id: str
    ok: bool
    result: dict[str, Any]
    error: str | None


Message = Status | Telemetry | Event | Manifest | ChunkMessage | CommandResult


def is_sha256(s: str) -> bool:
    """A SHA-256 as the contract writes it: 64 lowercase hex digits."""
    return len(s) == 64 and all(c in "0123456789abcdef" for c in s)


def decode(topic: Topic, payload: bytes) -> Message:
    """Decode and validate an uplink message, or raise :class:`ProtocolError`."""
    dev = topic.device_id
    what = f"{dev}/{topic.channel.value}"
    if not topic.channel.uplink:
        raise ProtocolError(
            "wrong_direction", f"{topic.channel.value} is a fleet-to-device channel"
        )
    if topic.channel is Channel.REC_CHUNK:
        assert topic.recording_id is not None
        return ChunkMessage(dev, topic.recording_id, decode_chunk(payload))
    obj = decode_json(payload, what)
    if topic.channel is Channel.STATUS:
        f = validate(obj, STATUS_FIELDS, what)
        return Status(dev, f.pop("state"), f)
    if topic.channel is Channel.TELE:
        return Telemetry(dev, validate(obj, TELE_FIELDS, what))
    if topic.channel is Channel.EVT:
        f = validate(obj, EVT_FIELDS, what)
        if f["type"] == "ota":
            f["data"] = validate(f.get("data", {}), OTA_EVENT_FIELDS, f"{what}.data")
        elif f["type"] == "rating":
            f["data"] = check_rating(f.get("data", {}), f"{what}.data")
        elif f["type"] == "play":
            f["data"] = check_play(f.get("data", {}), f"{what}.data")
        elif f["type"] == "screen":
            f["data"] = check_screen(f.get("data", {}), f"{what}.data")
        return Event(dev, f["seq"], f["type"], f.get("ts"), f.get("data", {}), f.get("boot"))
    if topic.channel is Channel.REC_MANIFEST:
        assert topic.recording_id is not None
        f = validate(obj, MANIFEST_FIELDS, what)
        if not is_sha256(f["sha256"]):
            raise ProtocolError("schema", f"{what}.sha256 must be lowercase hex")
        if ("preroll_session" in f) != ("preroll_ms" in f):
            raise ProtocolError(
                "schema", f"{what}: preroll_session and preroll_ms come together or not at all"
            )
        return Manifest(dev, topic.recording_id, f)
    f = validate(obj, CMD_RES_FIELDS, what)
    return CommandResult(dev, f["id"], f["ok"], f.get("result", {}), f.get("error"))


ACK_ERRORS = ("sha256_mismatch", "rec_id_taken")


def encode_ack(
    recording_id: str, ranges: list[tuple[int, int]], complete: bool, error: str | None = None
) -> bytes:
    """``ack``: the chunk ranges ``[start, end)`` of ``recording_id`` the fleet holds durably.

    ``error`` says why the fleet dropped the upload (the device must send it again from the
    manifest: ``sha256_mismatch``) or cannot take it (``rec_id_taken``: another recording
    with this id is stored).
    """
    obj: dict[str, Any] = {
        "v": 1,
        "rec": recording_id,
        "ranges": [list(r) for r in ranges],
        "complete": complete,
    }
    if error is not None:
        if error not in ACK_ERRORS:
            raise ValueError(f"unknown ack error {error!r}")
        obj["error"] = error
    return encode_json(obj)


EventRange = tuple[int, int, int]
"""``(boot, first, last)``: the events ``first..last`` (inclusive) of one boot."""

MAX_EVENT_RANGES = 64  # keeps an event ack well under the 2 KiB JSON limit


def event_ranges(keys: Iterable[tuple[int, int]]) -> list[EventRange]:
    """(boot, seq) pairs -> sorted ``(boot, first, last)`` runs of consecutive seqs."""
    out: list[list[int]] = []
    for boot, seq in sorted(set(keys)):
        if out and out[-1][0] == boot and out[-1][2] + 1 == seq:
            out[-1][2] = seq
        else:
            out.append([boot, seq, seq])
    return [(b, f, la) for b, f, la in out]


def encode_event_acks(ranges: list[EventRange]) -> list[bytes]:
    """``ack`` for events: the fleet has committed these events (or had them already). A
    device holds each event it sent until an ack covers it (docs/protocol.md, "acks").
    One payload per :data:`MAX_EVENT_RANGES` ranges."""
    for boot, first, last in ranges:
        if not (0 <= boot <= _U32 and 0 <= first <= last <= _U32):
            raise ValueError(f"bad event range {(boot, first, last)!r}")
    return [
        encode_json({"v": 1, "evt": [list(r) for r in ranges[i : i + MAX_EVENT_RANGES]]})
        for i in range(0, len(ranges), MAX_EVENT_RANGES)
    ]


def encode_command(command_id: str, op: str, args: dict[str, Any] | None = None) -> bytes:
    """``cmd``: ask a device to do ``op``; it answers on ``cmd/res`` with the same id."""
    if op not in COMMAND_OPS:
        raise ValueError(f"unknown command op {op!r}")
    return encode_json({"v": 1, "id": command_id, "op": op, "args": args or {}})


# What the device publishes as its last will (the firmware has the same bytes).
LAST_WILL_PAYLOAD = encode_json({"v": 1, "state": "offline", "reason": "lost"})
