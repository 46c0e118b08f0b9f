"""Telemetry and events stored once per (device, boot, seq) through a real Mosquitto, on SQLite
and PostgreSQL (issue 22): a copy in the same batch and a copy after the first was committed
(what a QoS 1 redelivery after a reconnect looks like) are both left out; a device that does
not name its boot (older firmware) is stored as it always was, every copy. Every event the
fleet holds, new or a copy, is acknowledged to its device once committed (the event ack)."""

import threading

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import decode_event_ack, encode_event, encode_telemetry
from devtools.broker import MosquittoProcess
from fleet.devices.models import Event, Telemetry
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import RunningFleet, eventually

BADGE = "badge-0701"
BOOT = 0x5EED0001


async def test_copies_are_stored_once(fleet: RunningFleet, broker: MosquittoProcess) -> None:
    await register(DeviceSpec(BADGE, "badge", None))
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=BADGE)
    acked: list[tuple[int, int, int]] = []
    lock = threading.Lock()

    def on_message(c: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        ranges = decode_event_ack(msg.payload)
        assert ranges is not None
        with lock:
            acked.extend(ranges)

    client.on_message = on_message
    client.connect("127.0.0.1", broker.config.port)
    client.subscribe(topic(BADGE, Channel.ACK), qos=1)
    client.loop_start()

    def acked_seqs() -> set[tuple[int, int]]:
        with lock:
            return {(b, s) for b, first, last in acked for s in range(first, last + 1)}

    def send(channel: Channel, payload: bytes) -> None:
        client.publish(topic(BADGE, channel), payload, qos=1).wait_for_publish(5)

    tele = [encode_telemetry({"seq": s, "boot": BOOT, "uptime_s": 10 * s}) for s in range(3)]
    evts = [encode_event(s, "worn" if s % 2 == 0 else "unworn", None, {"session": "w-1"}, BOOT)
            for s in range(3)]  # fmt: skip
    try:
        for payload in [*tele, tele[1], *evts, evts[2]]:  # copies right behind the first
            send(Channel.TELE if payload in tele else Channel.EVT, payload)

        async def stored(n_tele: int, n_evt: int) -> bool:
            return (await Telemetry.filter(device_id=BADGE).count() == n_tele
                    and await Event.filter(device_id=BADGE).count() == n_evt)  # fmt: skip

        await eventually(lambda: stored(3, 3))
        # each event acknowledged to the device once its batch committed
        await eventually(lambda: acked_seqs() == {(BOOT, 0), (BOOT, 1), (BOOT, 2)})
        with lock:
            acked.clear()
        # after commit, all of them again (a reconnect's redelivery), then one new message
        # of each: only the new ones are stored
        for payload in [*tele, *evts]:
            send(Channel.TELE if payload in tele else Channel.EVT, payload)
        send(Channel.TELE, encode_telemetry({"seq": 3, "boot": BOOT, "uptime_s": 30}))
        send(Channel.EVT, encode_event(3, "worn", None, {"session": "w-2"}, BOOT))
        await eventually(lambda: stored(4, 4))
        # the copies are acknowledged again (the fleet holds them): a device that lost the
        # first ack stops resending
        await eventually(lambda: acked_seqs() == {(BOOT, s) for s in range(4)})
        # the same seq in another boot is another message
        send(Channel.TELE, encode_telemetry({"seq": 0, "boot": BOOT + 1, "uptime_s": 1}))
        # without a boot (older firmware) every copy is kept, as before
        old = encode_telemetry({"seq": 9, "uptime_s": 90})
        send(Channel.TELE, old)
        send(Channel.TELE, old)
        await eventually(lambda: stored(7, 4))
    finally:
        client.loop_stop()
        client.disconnect()
    seqs = (
        await Telemetry.filter(device_id=BADGE, boot=BOOT)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == [0, 1, 2, 3]
    assert await stored(7, 4)  # nothing came late
    assert fleet.ingest.stats.rejected.total() == 0
