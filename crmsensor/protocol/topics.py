"""Topic names of the MQTT contract: ``crms/v1/<device_id>/<channel>[/...]``.

Pure functions over strings; see docs/protocol.md for the table of channels.
"""

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from crmsensor.errors import ProtocolError

ROOT = "crms"
VERSION = "v1"
PREFIX = f"{ROOT}/{VERSION}"


class Channel(StrEnum):
    """Every channel of the contract. Uplink channels are published by devices."""

    STATUS = "status"
    TELE = "tele"
    EVT = "evt"
    REC_MANIFEST = "rec/manifest"
    REC_CHUNK = "rec/chunk"
    CMD_RES = "cmd/res"
    # downlink: published by the fleet
    ACK = "ack"
    CMD = "cmd"

    @property
    def uplink(self) -> bool:
        """True for channels a device publishes on."""
        return self not in (Channel.ACK, Channel.CMD)


_DEVICE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{1,31}")
_RECORDING_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


def is_device_id(s: str) -> bool:
    """Device ids: 2-32 chars of ``a-z 0-9 - _``, starting with a letter or digit."""
    return _DEVICE_ID.fullmatch(s) is not None


def is_recording_id(s: str) -> bool:
    """Recording ids: 1-40 chars of ``a-z 0-9 - _ .``, starting with a letter or digit."""
    return _RECORDING_ID.fullmatch(s) is not None


@dataclass(frozen=True)
class Topic:
    """A parsed contract topic."""

    device_id: str
    channel: Channel
    recording_id: str | None = None


def topic(device_id: str, channel: Channel, recording_id: str | None = None) -> str:
    """Build the topic for ``device_id`` on ``channel`` (recording channels need an id)."""
    if channel in (Channel.REC_MANIFEST, Channel.REC_CHUNK):
        if recording_id is None:
            raise ValueError(f"{channel} needs a recording id")
        part = channel.value.split("/")[1]
        return f"{PREFIX}/{device_id}/rec/{recording_id}/{part}"
    return f"{PREFIX}/{device_id}/{channel.value}"


@functools.lru_cache(maxsize=8192)  # a fleet sees the same few topics per device again and again
def parse_topic(name: str) -> Topic:
    """Parse a topic name, or raise :class:`ProtocolError` naming what is wrong.

    Reasons: ``topic_outside_contract`` (not ``crms/v1/<id>/<known channel>``) and
    ``bad_device_id`` / ``bad_recording_id``.
    """
    parts = name.split("/")
    if len(parts) < 4 or parts[0] != ROOT or parts[1] != VERSION:
        raise ProtocolError("topic_outside_contract", f"not under {PREFIX}/<device_id>/: {name!r}")
    device_id, rest = parts[2], parts[3:]
    if not is_device_id(device_id):
        raise ProtocolError("bad_device_id", f"invalid device id {device_id!r} in {name!r}")
    if len(rest) == 3 and rest[0] == "rec" and rest[2] in ("manifest", "chunk"):
        if not is_recording_id(rest[1]):
            raise ProtocolError("bad_recording_id", f"invalid recording id {rest[1]!r}")
        return Topic(device_id, Channel(f"rec/{rest[2]}"), rest[1])
    joined = "/".join(rest)
    try:
        channel = Channel(joined)
    except ValueError:
        raise ProtocolError(
            "topic_outside_contract", f"unknown channel {joined!r} in {name!r}"
        ) from None
    if channel in (Channel.REC_MANIFEST, Channel.REC_CHUNK):
        raise ProtocolError("topic_outside_contract", f"recording topic without an id: {name!r}")
    return Topic(device_id, channel)
