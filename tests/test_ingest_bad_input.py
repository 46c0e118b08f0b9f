"""Bad input through the real broker: counted per reason, logged once, never stored, and the
ingest loop keeps going."""

import json
import logging

import pytest

from fleet.devices.models import Device, Event, Telemetry
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import MqttProbe, eventually, load_vectors

DEV = "badge-0001"


def _payload(v: dict) -> bytes:
    return bytes.fromhex(v["payload_hex"]) if "payload_hex" in v else v["payload_text"].encode()


async def test_bad_payloads_are_counted_logged_once_and_not_stored(
    fleet, mqtt_probe, caplog: pytest.LogCaptureFixture
) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    caplog.set_level(logging.WARNING, logger="fleet.ingest")
    invalid = [v for v in load_vectors()["invalid"] if v["reason"] != "wrong_direction"]
    expected: dict[str, int] = {}
    for v in invalid:
        # Twice each: the second copy is counted but not logged again.
        for _ in range(2):
            mqtt_probe.publish(v["topic"], _payload(v))
        expected[v["reason"]] = expected.get(v["reason"], 0) + 2
    # An unknown device and a payload past the broker's size limit's reach (but inside it).
    mqtt_probe.publish("crms/v1/ghost-9/tele", b'{"v":1,"seq":1,"uptime_s":1}')
    expected["unknown_device"] = 1
    # Then one good message: ingest must still be alive and store it.
    good = {"v": 1, "seq": 42, "uptime_s": 5, "batt_pct": 50}
    mqtt_probe.publish(f"crms/v1/{DEV}/tele", json.dumps(good).encode())

    async def stored() -> list:
        return await Telemetry.filter(device_id=DEV).all()

    rows = await eventually(stored)
    assert [r.seq for r in rows] == [42]
    await eventually(lambda: dict(fleet.ingest.stats.rejected) == expected)
    assert await Event.all().count() == 0
    assert await Telemetry.all().count() == 1
    assert not await Device.exists(id="ghost-9")
    # Logged once per device and reason (a flood does not flood the log), naming the topic.
    lines = [r.getMessage() for r in caplog.records if r.name == "fleet.ingest"]
    sent = [(v["topic"], v["reason"]) for v in invalid] + [
        ("crms/v1/ghost-9/tele", "unknown_device")
    ]

    def key(topic: str, reason: str) -> tuple[str, str]:
        parts = topic.split("/")
        return (parts[2] if len(parts) > 2 else "", reason)

    keys = {key(t, r) for t, r in sent}
    assert len(lines) == len(keys), lines
    for k in keys:
        topics = [t for t, r in sent if key(t, r) == k]
        matching = [ln for ln in lines if any(f"on {t!r}: {k[1]} " in ln for t in topics)]
        assert len(matching) == 1, (k, lines)


async def test_payload_over_broker_limit_never_reaches_ingest(fleet, broker) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    # max_packet_size in mqtt_broker_conf: the broker drops such a client and its packet.
    big = MqttProbe(broker.config.port, client_id="too-big")
    try:
        big.client.publish(f"crms/v1/{DEV}/tele", b"x" * 20_000, qos=0)
        log = broker.config.log_file
        await eventually(lambda: "too-big disconnected due to oversize packet" in log.read_text())
    finally:
        big.close()
    good = MqttProbe(broker.config.port)
    try:
        good.publish(f"crms/v1/{DEV}/tele", json.dumps({"v": 1, "seq": 1, "uptime_s": 1}).encode())
        await eventually(lambda: fleet.ingest.stats.written >= 1)
    finally:
        good.close()
    assert sum(fleet.ingest.stats.accepted.values()) == 1
    assert sum(fleet.ingest.stats.rejected.values()) == 0


async def test_downlink_echo_is_ignored_not_rejected(fleet, mqtt_probe) -> None:
    await register(DeviceSpec(DEV, "badge", "st-1"))
    mqtt_probe.publish(f"crms/v1/{DEV}/cmd", b'{"v":1,"id":"c","op":"ping","args":{}}')
    await eventually(lambda: fleet.ingest.stats.ignored["downlink"] == 1)
    assert not fleet.ingest.stats.rejected
