"""The fleet's side of the contract against the shared vectors (CPython)."""

import json

import pytest

from crmsensor.errors import ProtocolError
from crmsensor.protocol import (
    LAST_WILL_PAYLOAD,
    ChunkMessage,
    CommandResult,
    Event,
    Manifest,
    Status,
    Telemetry,
    decode,
    encode_ack,
    encode_command,
    encode_event_acks,
    parse_topic,
)
from crmsensor.protocol.device import (
    decode_command,
    decode_event_ack,
    decode_ota,
    encode_command_result,
    encode_event,
    encode_status_online,
    encode_telemetry,
    ota_progress,
)
from tests.conftest import load_vectors

V = load_vectors()


def _payload(v: dict) -> bytes:
    if "payload_hex" in v:
        return bytes.fromhex(v["payload_hex"])
    if "payload_text" in v:
        return v["payload_text"].encode()
    return json.dumps(v["payload"]).encode()


def _fields(msg: object) -> dict:
    if isinstance(msg, Status):
        return {"state": msg.state, **msg.fields}
    if isinstance(msg, Telemetry | Manifest):
        return msg.fields
    if isinstance(msg, Event):
        boot = {} if msg.boot is None else {"boot": msg.boot}
        return {"seq": msg.seq, "type": msg.type, "ts": msg.ts, "data": msg.data, **boot}
    if isinstance(msg, ChunkMessage):
        c = msg.chunk
        return {"index": c.index, "offset": c.offset, "last": c.last, "data_hex": c.data.hex()}
    assert isinstance(msg, CommandResult)
    return {"id": msg.id, "ok": msg.ok, "result": msg.result, "error": msg.error}


@pytest.mark.parametrize("v", V["device_to_fleet"], ids=lambda v: v["name"])
def test_fleet_decodes_device_messages(v: dict) -> None:
    msg = decode(parse_topic(v["topic"]), _payload(v))
    assert msg.device_id == "badge-0001"
    assert _fields(msg) == v["decoded"]


@pytest.mark.parametrize("v", V["fleet_to_device"], ids=lambda v: v["name"])
def test_fleet_encodes_downlink_exactly(v: dict) -> None:
    kind, args = v["encode"]
    if kind == "ack":
        rec, ranges, complete, *error = args
        payload = encode_ack(rec, [tuple(r) for r in ranges], complete, *error)
    elif kind == "evt_ack":
        [payload] = encode_event_acks([tuple(r) for r in args[0]])
    else:
        payload = encode_command(*args)
    assert payload == v["payload_text"].encode()
    assert parse_topic(v["topic"]).channel.uplink is False


@pytest.mark.parametrize("v", V["invalid"], ids=lambda v: v["name"])
def test_fleet_rejects_invalid_with_reason(v: dict) -> None:
    with pytest.raises(ProtocolError) as err:
        decode(parse_topic(v["topic"]), _payload(v))
    assert err.value.reason == v["reason"]


def test_last_will_bytes_match_vector() -> None:
    [lw] = [v for v in V["device_to_fleet"] if v["name"] == "last_will"]
    assert lw["payload_text"].encode() == LAST_WILL_PAYLOAD


def test_cpython_device_encoders_match_firmware_vectors() -> None:
    """The kiosk (CPython device) must produce what the badge produces."""
    by_name = {v["name"]: v for v in V["device_to_fleet"]}
    assert (
        json.loads(encode_status_online(*by_name["status_online"]["build"][1]))
        == by_name["status_online"]["payload"]
    )
    assert (
        json.loads(encode_telemetry(by_name["tele_badge"]["build"][1][0]))
        == by_name["tele_badge"]["payload"]
    )
    for name in ("evt_worn", "evt_unworn_with_boot"):
        args = by_name[name]["build"][1]
        assert json.loads(encode_event(*args)) == by_name[name]["payload"]
    for name in ("evt_ota_downloading", "evt_ota_rolled_back"):
        seq, ts, *progress = by_name[name]["build"][1]
        payload = encode_event(seq, "ota", ts, ota_progress(*progress))
        assert json.loads(payload) == by_name[name]["payload"]


def test_cpython_device_command_codec_matches_vectors() -> None:
    """The kiosk parses commands and answers them as the badge does."""
    by_name = {v["name"]: v for v in V["device_to_fleet"]}
    for name in ("cmd_result_ok", "cmd_result_error"):
        args = by_name[name]["build"][1]
        assert json.loads(encode_command_result(*args)) == by_name[name]["payload"]
    for v in V["fleet_to_device"]:
        if v["encode"][0] == "command":
            assert list(decode_command(v["payload_text"].encode())) == v["parsed"]
    for v in V["fleet_to_device"]:
        if v["encode"][0] == "evt_ack":
            assert decode_event_ack(v["payload_text"].encode()) == [tuple(r) for r in v["parsed"]]
        if v["encode"][0] == "ack":  # a recording's ack is not an event ack
            assert decode_event_ack(v["payload_text"].encode()) is None
    for v in V["invalid_downlink"]:
        if v["kind"] == "evt_ack":
            with pytest.raises(ProtocolError):
                decode_event_ack(v["payload_text"].encode())
        if v["kind"] == "command":
            with pytest.raises(ProtocolError):
                decode_command(v["payload_text"].encode())
        if v["kind"] == "ota":
            with pytest.raises(ProtocolError):
                decode_ota(decode_command(v["payload_text"].encode())[2])
    (ota,) = [v for v in V["fleet_to_device"] if v["name"] == "cmd_ota"]
    assert decode_ota(decode_command(ota["payload_text"].encode())[2]) == ota["parsed"][2]


def test_unknown_fields_are_dropped_not_stored() -> None:
    payload = b'{"v":1,"seq":1,"uptime_s":2,"secret":"x"}'
    msg = decode(parse_topic("crms/v1/badge-0001/tele"), payload)
    assert isinstance(msg, Telemetry)
    assert "secret" not in msg.fields
