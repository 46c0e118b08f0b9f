"""The MQTT contract, CPython side: topics, JSON messages and binary layouts.

The firmware's side is ``firmware/crms/protocol.py`` (MicroPython); both are pinned by
``tests/vectors/protocol_v1.json``.
"""

from crmsensor.protocol.chunks import Chunk, decode_chunk, encode_chunk
from crmsensor.protocol.messages import (
    LAST_WILL_PAYLOAD,
    ChunkMessage,
    CommandResult,
    Event,
    EventRange,
    Manifest,
    Message,
    Status,
    Telemetry,
    decode,
    encode_ack,
    encode_command,
    encode_event_acks,
    event_ranges,
)
from crmsensor.protocol.schema import encode_json
from crmsensor.protocol.topics import Channel, Topic, is_device_id, parse_topic, topic

__all__ = [
    "LAST_WILL_PAYLOAD",
    "Channel",
    "Chunk",
    "ChunkMessage",
    "CommandResult",
    "Event",
    "EventRange",
    "Manifest",
    "Message",
    "Status",
    "Telemetry",
    "Topic",
    "decode",
    "decode_chunk",
    "encode_ack",
    "encode_chunk",
    "encode_command",
    "encode_event_acks",
    "encode_json",
    "event_ranges",
    "is_device_id",
    "parse_topic",
    "topic",
]
