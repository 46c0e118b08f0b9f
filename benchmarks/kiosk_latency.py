"""Latency from a kiosk's session boundary to the badge's recording command (issue 7: <= 1 s).

A real Mosquitto and fleet on loopback; a kiosk and a badge registered at one station, each an
MQTT client with its own id (the badge says it is online, as the firmware does). The kiosk
publishes ``session_start`` / ``session_end`` (QoS 1); we time until the badge receives
``rec_start`` / ``rec_stop`` from the fleet (ingest stores the event, queues the command in the
same transaction, dispatches it after commit). The peer, same run: the floor of the path, a
message from the kiosk's client to the badge's client straight through the broker.

    .venv/bin/python benchmarks/kiosk_latency.py [--n 60]
"""

import argparse
import asyncio
import json
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import broker, fleet, median, p95, tmpdir
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import (
    encode_command_result,
    encode_event,
    encode_status_online,
)
from fleet.devices.registry import DeviceSpec, register

KIOSK, BADGE, STATION = "kiosk-0901", "badge-0901", "st-bench"


def client(device_id: str, port: int) -> mqtt.Client:
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device_id, protocol=mqtt.MQTTv311)
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


async def measure(port: int, n: int) -> tuple[list[float], list[float]]:
    got: dict[str, float] = {}
    arrived = threading.Condition()

    def on_message(c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        now = time.perf_counter()
        if msg.topic.endswith("/cmd"):
            cmd = json.loads(msg.payload)
            key = f"{cmd['op']}:{cmd['args'].get('kiosk_session')}"
            c.publish(topic(BADGE, Channel.CMD_RES), encode_command_result(cmd["id"], True), 1)
        else:
            key = "direct:" + msg.payload.decode()
        with arrived:
            got[key] = now
            arrived.notify_all()

    badge = client(BADGE, port)
    badge.on_message = on_message
    badge.subscribe([(topic(BADGE, Channel.CMD), 1), ("bench/direct", 1)])
    badge.publish(
        topic(BADGE, Channel.STATUS), encode_status_online("badge", "0.2.0", "b", 1, 30), 1, True
    )
    kiosk = client(KIOSK, port)
    await asyncio.sleep(1.0)  # the fleet has seen both online

    def wait_for(key: str) -> float:
        with arrived:
            arrived.wait_for(lambda: key in got, timeout=10)
        return got.get(key, float("nan"))

    relayed, direct = [], []
    seq = 0
    for i in range(n):
        session = f"s-bench-{i}"
        for kind, op in (("session_start", "rec_start"), ("session_end", "rec_stop")):
            t0 = time.perf_counter()
            payload = encode_event(seq, kind, int(time.time()), {"session": session, "roi": "d"})
            kiosk.publish(topic(KIOSK, Channel.EVT), payload, qos=1)
            seq += 1
            t1 = await asyncio.to_thread(wait_for, f"{op}:{session}")
            relayed.append(t1 - t0)
        t0 = time.perf_counter()
        kiosk.publish("bench/direct", str(i).encode(), qos=1)
        direct.append(await asyncio.to_thread(wait_for, f"direct:{i}") - t0)
        await asyncio.sleep(0.05)
    for c in (badge, kiosk):
        c.loop_stop()
        c.disconnect()
    return relayed, direct


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60)
    opts = ap.parse_args()
    work = tmpdir()
    async with broker(work) as b, fleet(work, b.config.port) as _f:
        await register(DeviceSpec(KIOSK, "kiosk", STATION))
        await register(DeviceSpec(BADGE, "badge", STATION))
        await asyncio.sleep(0.5)
        relayed, direct = await measure(b.config.port, opts.n)
    ms = [x * 1000 for x in relayed]
    floor = [x * 1000 for x in direct]
    print(
        f"session boundary -> badge's recording command, {len(ms)} commands: median "
        f"{median(ms):.1f} ms, p95 {p95(ms):.1f} ms, max {max(ms):.1f} ms (goal <= 1000 ms)"
    )
    print(
        f"peer, kiosk -> badge straight through the broker: median {median(floor):.2f} ms; "
        f"relay / direct = {median(ms) / median(floor):.0f}x"
    )


if __name__ == "__main__":
    asyncio.run(main())
