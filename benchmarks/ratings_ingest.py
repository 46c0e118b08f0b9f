"""Issue 21's ingest goal: 100 ratings a second sustained for 10 minutes from 1,000 simulated
kiosks, with zero loss (rows counted).

1,000 kiosks, each its own MQTT connection (aiomqtt, one process), each sending a rating event
every 10 s at QoS 1 (staggered), to Mosquitto and a fleet manager running as its own process
(``crmsensor fleet serve``, SQLite). A rating counts as sent once the broker acknowledged it.
At the end, the fleet's rating rows are counted against what was sent, and the fleet process's
CPU share over the run is printed (from /proc). No peer: the figure is the goal's rate with
nothing lost (benchmarks/ingest_throughput.py gives the ingest's ceiling against paho).

    .venv/bin/python benchmarks/ratings_ingest.py [--kiosks 1000] [--minutes 10]
"""

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import aiohttp
import aiomqtt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import broker, cpu_seconds, fleet_process, tmpdir
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_event
from fleet.db import close_db, open_db, sqlite_url
from fleet.devices.registry import DeviceSpec, register
from fleet.office import accounts
from fleet.surveys.models import Rating, RatingSum


def answer(seq: int) -> dict:  # type: ignore[type-arg]
    return {"session": f"s-0000abcd-{seq}", "scenario": "summer", "version": 3,
            "t_s": float(seq), "lang": "ru", "nps": seq % 11, "staff": {"cashier": 1 + seq % 5},
            "reasons": ["queue"] if seq % 11 < 7 else []}  # fmt: skip


async def kiosk(name: str, port: int, every_s: float, until: float, offset: float,
                sent: list[int]) -> None:  # fmt: skip
    async with aiomqtt.Client("127.0.0.1", port, identifier=name, keepalive=60) as client:
        await asyncio.sleep(offset)
        seq = 0
        while time.monotonic() < until:
            t = time.monotonic()
            payload = encode_event(seq, "rating", int(time.time()), answer(seq))
            await client.publish(topic(name, Channel.EVT), payload, qos=1)  # returns on PUBACK
            sent[0] += 1
            seq += 1
            await asyncio.sleep(max(0.0, every_s - (time.monotonic() - t)))


def fleet_pid(base: str) -> int:
    """The fleet process serving ``base`` (its command line names the HTTP address)."""
    address = base.removeprefix("http://").rstrip("/")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in argv and address.encode() in argv:
            return int(pid)
    raise SystemExit("the fleet process was not found")


async def count(base: str, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.get(base + "api/v1/ingest") as r,
    ):
        stats = await r.json()
    return int(stats.get("accepted", {}).get("evt", 0))


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosks", type=int, default=1000)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--every-s", type=float, default=10.0, help="one rating per kiosk per ...")
    opts = ap.parse_args()
    work = tmpdir()
    db = sqlite_url(str(work / "fleet.sqlite3"))
    await open_db(db)
    names = [f"k-{i:04d}" for i in range(opts.kiosks)]
    for n in names:
        await register(DeviceSpec(n, "kiosk", f"st-{n[2:]}"))
    user = await accounts.add_user("bench", None, [accounts.GrantSpec("admin")])
    token = await accounts.create_token(user, "bench")
    await close_db()
    async with broker(work) as mq, fleet_process(work, db, mq.config.port) as base:
        pid = fleet_pid(base)
        sent = [0]
        until = time.monotonic() + opts.minutes * 60
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        await asyncio.gather(*(
            kiosk(n, mq.config.port, opts.every_s, until, i * opts.every_s / len(names), sent)
            for i, n in enumerate(names)
        ))  # fmt: skip
        took = time.monotonic() - t0
        cpu = cpu_seconds(pid) - cpu0
        deadline = time.monotonic() + 60
        while await count(base, token) < sent[0] and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        await asyncio.sleep(3.0)  # the last batch committed
    await open_db(db)
    try:
        stored = await Rating.all().count()
        # the sums the reports read, kept by ingest beside each rating: one per day grain
        summed = sum(await RatingSum.filter(grain="day").values_list("answers", flat=True))
    finally:
        await close_db()
    rate = sent[0] / took
    print(
        f"{opts.kiosks} kiosks, one rating each every {opts.every_s:g} s for "
        f"{opts.minutes:g} min: {sent[0]} sent (acknowledged by the broker), {rate:.1f}/s"
    )
    print(f"stored: {stored} rating rows; lost: {sent[0] - stored}; "
          f"in the daily sums: {summed}")  # fmt: skip
    print(f"fleet process CPU: {100 * cpu / took:.1f}% of one core over the run")
    ok = stored == sent[0] == summed and rate >= 0.95 * opts.kiosks / opts.every_s
    print(
        f"goal: {opts.kiosks / opts.every_s:g} ratings/s sustained, zero loss -> "
        f"{'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    asyncio.run(main())
