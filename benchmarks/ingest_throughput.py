"""Telemetry ingest into the database vs. raw Mosquitto -> paho, same machine, same run.

Both sides drain the same backlog: N QoS 1 telemetry messages from D devices, queued by the
broker for a persistent session while the subscriber was away (so publisher speed is out of
the measurement). The peer is a bare paho-mqtt subscriber that only counts; the fleet
validates, batches, commits to SQLite and only then acknowledges each message. Zero loss is
checked by counting rows. Medians of R rounds.

    .venv/bin/python benchmarks/ingest_throughput.py [--messages 50000] [--rounds 3]

Goals (issue 3): fleet >= 50% of the paho rate, and >= 10,000 messages/s on SQLite.
"""

import argparse
import asyncio
import threading
import time

import paho.mqtt.client as mqtt
from common import broker, fleet, median, tmpdir
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_telemetry
from fleet.devices.models import Telemetry
from fleet.devices.registry import DeviceSpec, register


def _client(client_id: str) -> mqtt.Client:
    # The same MQTT version and session kind as the fleet's link (3.1.1, persistent).
    return mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)


def make_session(port: int, client_id: str) -> None:
    """Create a persistent session subscribed to crms/# and leave, so the broker queues."""
    c = _client(client_id)
    done = threading.Event()
    c.on_subscribe = lambda *a: done.set()
    c.connect("127.0.0.1", port)
    c.loop_start()
    c.subscribe("crms/#", qos=1)
    done.wait(5)
    c.disconnect()
    c.loop_stop()


def publish_backlog(port: int, devices: list[str], n: int) -> None:
    """Publish ``n`` telemetry messages at QoS 1, round-robin over ``devices``."""
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-pub")
    c.max_inflight_messages_set(1000)
    c.max_queued_messages_set(0)
    c.connect("127.0.0.1", port)
    c.loop_start()
    infos = []
    for i in range(n):
        dev = devices[i % len(devices)]
        payload = encode_telemetry(
            {"seq": i, "uptime_s": i, "batt_mv": 3900, "batt_pct": 80, "charging": False,
             "storage_free_kb": 100000, "rssi_dbm": -60, "worn": True, "backlog": 0}
        )  # fmt: skip
        infos.append(c.publish(topic(dev, Channel.TELE), payload, qos=1))
    for info in infos:
        info.wait_for_publish(60)
    c.disconnect()
    c.loop_stop()


def drain_with_paho(port: int, client_id: str, n: int) -> float:
    """Connect the persistent session and count until ``n`` arrived; messages/s."""
    c = _client(client_id)
    got = 0
    done = threading.Event()

    def on_message(_c, _u, _m) -> None:  # type: ignore[no-untyped-def]
        nonlocal got
        got += 1
        if got == n:
            done.set()

    c.on_message = on_message
    t0 = time.perf_counter()
    c.connect("127.0.0.1", port)
    c.loop_start()
    if not done.wait(300):
        raise SystemExit(f"paho got only {got} of {n}")
    elapsed = time.perf_counter() - t0
    c.disconnect()
    c.loop_stop()
    return n / elapsed


async def drain_with_fleet(workdir, port: int, client_id: str, devices: list[str], n: int) -> float:  # type: ignore[no-untyped-def]
    """Start the fleet on the session's backlog; messages/s until all rows are committed."""
    from fleet.db import close_db, open_db, sqlite_url

    await open_db(sqlite_url(str(workdir / "fleet.sqlite3")))
    for dev in devices:
        await register(DeviceSpec(dev, "badge", "st-1"))
    await close_db()
    t0 = time.perf_counter()
    async with fleet(workdir, port, client_id, limits=False) as f:
        while f.ingest.stats.written < n:
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - t0
        print(f"  fleet: {f.ingest.stats.batches} write batches for {n} messages")
        rows = await Telemetry.all().count()
        if rows != n:
            raise SystemExit(f"LOSS: {rows} rows stored for {n} messages")
    return n / elapsed


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=50_000)
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    devices = [f"badge-{i:04d}" for i in range(args.devices)]
    paho_rates, fleet_rates = [], []
    for r in range(args.rounds):
        work = tmpdir()
        async with broker(work) as b:
            port = b.config.port
            make_session(port, "peer")
            publish_backlog(port, devices, args.messages)
            paho_rates.append(drain_with_paho(port, "peer", args.messages))
        async with broker(work) as b:
            port = b.config.port
            make_session(port, "fleet-bench")
            publish_backlog(port, devices, args.messages)
            fleet_rates.append(
                await drain_with_fleet(work, port, "fleet-bench", devices, args.messages)
            )
        print(
            f"round {r + 1}: paho {paho_rates[-1]:,.0f} msg/s, fleet {fleet_rates[-1]:,.0f} msg/s"
        )
    p, f = median(paho_rates), median(fleet_rates)
    print(
        f"\n{args.messages:,} QoS 1 telemetry messages from {args.devices} devices, "
        f"{args.rounds} rounds (medians)"
    )
    print(f"raw Mosquitto -> paho:        {p:10,.0f} msg/s")
    print(f"fleet ingest -> SQLite:       {f:10,.0f} msg/s   (0 lost: rows counted)")
    print(f"ratio fleet / paho:           {f / p:10.2f}   (goal >= 0.50)")
    print(f"fleet >= 10,000 msg/s:        {'yes' if f >= 10_000 else 'NO'}")


if __name__ == "__main__":
    asyncio.run(main())
