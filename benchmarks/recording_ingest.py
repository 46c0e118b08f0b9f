"""Recording ingest over MQTT into the object store, vs. raw Mosquitto -> paho for the same bytes.

D simulated badges (``devtools.sim.uploader``, in their own process) each upload one recording
of S bytes at once through a real Mosquitto on loopback, following the contract: manifest,
8 KiB QoS 1 chunks, acks, resend what is missing. The fleet stages the chunks in SQLite, streams
each recording into its object store, checks the sha256 against the manifest and only then
acks it complete. Throughput is the total recording bytes over the time from the first
manifest to the last ``complete`` ack. Afterwards every stored object is read back and hashed
(sha256-verified, independently of the fleet's own check).

The peer, for context, is the raw pipe: the same chunk messages drained from the broker by a
bare paho subscriber that only counts bytes (as in ``ingest_throughput.py``). Medians of R rounds.

    .venv/bin/python benchmarks/recording_ingest.py [--devices 16] [--size-kb 2048] [--rounds 3]

Goal (issue 3): at least 10 MB/s aggregate into the object store, sha256-verified.
"""

import argparse
import asyncio
import hashlib
import multiprocessing
import threading
import time

import paho.mqtt.client as mqtt
from common import broker, fleet, median, tmpdir
from ingest_throughput import make_session
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.protocol import Channel, topic
from devtools.sim.uploader import chunk_messages, upload
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording
from fleet.state import OBJECTS

MB = 1_000_000


def _recording(device: str, size: int) -> bytes:
    # Deterministic per device, so the worker process and the checker agree without sharing.
    seed = hashlib.sha256(device.encode()).digest()
    out = bytearray()
    block = seed
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block * 64
    return bytes(out[:size])


def _upload_all(
    port: int, devices: list[str], size: int, window: int, out: "multiprocessing.Queue[object]"
) -> None:
    """In its own process: every device uploads its recording at once; report the elapsed time."""

    async def go() -> None:
        data = {d: _recording(d, size) for d in devices}
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        results = await asyncio.gather(
            *(upload("127.0.0.1", port, d, "r-1", data[d], window=window) for d in devices)
        )
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        out.put((elapsed, cpu, [r.complete for r in results], sum(r.chunks_sent for r in results)))

    asyncio.run(go())


async def fleet_round(devices: list[str], size: int, window: int) -> tuple[float, int]:
    """Bytes/s into the object store, and how many objects were verified."""
    workdir = tmpdir()
    async with broker(workdir) as mq, fleet(workdir, mq.config.port) as f:
        for d in devices:
            await register(DeviceSpec(d, "badge", "st-1"))
        await f.ingest.load_registry()
        queue: multiprocessing.Queue[object] = multiprocessing.get_context("spawn").Queue()
        proc = multiprocessing.get_context("spawn").Process(
            target=_upload_all, args=(mq.config.port, devices, size, window, queue)
        )
        proc.start()
        cpu0 = time.process_time()
        elapsed, up_cpu, complete, sent = await asyncio.to_thread(queue.get, True, 600)
        cpu = time.process_time() - cpu0
        await asyncio.to_thread(proc.join)
        if not all(complete):
            raise SystemExit(f"only {sum(complete)} of {len(devices)} uploads completed")
        store = f.app[OBJECTS]
        verified = 0
        for rec in await Recording.all():
            digest = hashlib.sha256()
            async for part in store.read(rec.object_key):
                digest.update(part)
            expected = hashlib.sha256(_recording(rec.device_id, size)).hexdigest()
            if digest.hexdigest() != expected or rec.sha256 != expected:
                raise SystemExit(f"recording of {rec.device_id} is not what was sent")
            verified += 1
        if verified != len(devices):
            raise SystemExit(f"{verified} recordings stored for {len(devices)} uploads")
        print(
            f"  fleet: {sent} chunks sent for {len(devices) * -(-size // 8192)} needed; "
            f"CPU in {elapsed:.1f} s: fleet {cpu:.1f} s, uploaders {up_cpu:.1f} s"
        )
    return len(devices) * size / elapsed, verified


def paho_round(devices: list[str], size: int) -> float:
    """Bytes/s of the same chunk messages drained by a bare paho subscriber."""
    workdir = tmpdir()

    async def go() -> float:
        async with broker(workdir) as mq:
            port = mq.config.port
            make_session(port, "bench-rec-sub")
            pub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-rec-pub")
            pub.max_inflight_messages_set(1000)
            pub.max_queued_messages_set(0)
            pub.connect("127.0.0.1", port)
            pub.loop_start()
            infos = []
            total = 0
            for d in devices:
                for chunk in chunk_messages(_recording(d, size), 8192):
                    infos.append(pub.publish(topic(d, Channel.REC_CHUNK, "r-1"), chunk, qos=1))
                    total += len(chunk)
            for info in infos:
                info.wait_for_publish(120)
            pub.disconnect()
            pub.loop_stop()
            return await asyncio.to_thread(_drain_bytes, port, len(infos), total)

    return asyncio.run(go())


def _drain_bytes(port: int, n: int, total: int) -> float:
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-rec-sub", clean_session=False)
    got = 0
    nbytes = 0
    done = threading.Event()
    first: list[float] = []

    def on_message(_c, _u, m) -> None:  # type: ignore[no-untyped-def]
        nonlocal got, nbytes
        if not first:
            first.append(time.perf_counter())
        got += 1
        nbytes += len(m.payload)
        if got == n:
            done.set()

    c.on_message = on_message
    c.connect("127.0.0.1", port)
    c.loop_start()
    if not done.wait(300):
        raise SystemExit(f"paho got only {got} of {n}")
    elapsed = time.perf_counter() - first[0]
    c.disconnect()
    c.loop_stop()
    if nbytes != total:
        raise SystemExit(f"paho got {nbytes} bytes of {total}")
    return nbytes / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devices", type=int, default=16)
    ap.add_argument("--size-kb", type=int, default=2048, help="recording size per device")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--window", type=int, default=1, help="chunks in flight per device (the badge: 1)"
    )
    args = ap.parse_args()
    devices = [f"badge-{i:04d}" for i in range(args.devices)]
    size = args.size_kb * 1024
    fleet_rates, paho_rates = [], []
    for r in range(args.rounds):
        paho_rates.append(paho_round(devices, size))
        rate, _ = asyncio.run(fleet_round(devices, size, args.window))
        fleet_rates.append(rate)
        print(f"round {r + 1}: paho {paho_rates[-1] / MB:.1f} MB/s, fleet {rate / MB:.1f} MB/s")
    total_mb = len(devices) * size / MB
    fr, pr = median(fleet_rates), median(paho_rates)
    print(
        f"\n{len(devices)} recordings of {args.size_kb} KiB ({total_mb:.1f} MB), "
        f"{args.rounds} rounds (medians)"
    )
    print(f"raw Mosquitto -> paho, chunk bytes:    {pr / MB:6.1f} MB/s")
    print(f"fleet, into the object store:          {fr / MB:6.1f} MB/s   (every sha256 checked)")
    print(f"ratio fleet / paho:                    {fr / pr:6.2f}")
    print(f"fleet >= 10 MB/s:                      {'yes' if fr >= 10 * MB else 'NO'}")


if __name__ == "__main__":
    main()
