"""Issue 22's first goal: telemetry ingest with two fleet instances against one, side by side in
one run, on PostgreSQL, through Mosquitto's `tls` profile with client certificates, sharing
`$share/fleet/...`. Zero loss at QoS 1 (rows counted).

The same burst twice: ``--devices`` simulated devices (TLS, each its own certificate) each
publish ``--per-device`` telemetry messages at QoS 1 while the instances are stopped, so the
burst waits in their persistent sessions at the broker (one Python process could not publish
as fast as one instance stores); then the instances start and drain it. The rate is the rows
stored over the time from the first to the last one committed. First one fleet instance, then
two (the table emptied between). Everything shares this machine's two cores (the broker,
PostgreSQL and the instances), so the ratio says what a second instance buys here, where CPU is
the limit, not on separate machines; each instance's CPU share over the drain is printed.

    .venv/bin/python benchmarks/scale_out.py [--devices 400] [--per-device 100] [--repeat 3]
"""

import argparse
import asyncio
import random
import ssl
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiomqtt
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import cpu_seconds, spawn_instance, wait_healthy
from benchmarks.review_reports import drop_database, new_database
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_telemetry
from devtools import procs
from devtools.broker import MosquittoProcess, free_port, render_config
from devtools.sim import fleet_load
from fleet.db import close_db, open_db
from fleet.identity.broker_access import broker_tls_files, fleet_identity
from fleet.identity.ca import FleetCA, PassphraseKeyStore

GOAL_RATIO = 1.6
PASSPHRASE = "a benchmark passphrase"


def spawn_fleet(work: Path, name: str, db: str, port: int, tls: tuple[str, str, str]) -> tuple:  # type: ignore[type-arg]
    """Instance ``name`` of group ``fleet``: (process, base URL). The burst is 100 reports per
    device at once (QoS 1, held by the broker): the per-device telemetry budget would refuse
    most of it, as it should a real device's, so it is off here."""
    return spawn_instance(work, name, db, port, tls, "[rate_limit]\ntele_per_s = 0\n")


async def burst(devices: list[str], port: int, certs: Path, per_device: int) -> float:
    """Every device connects (TLS), then all publish ``per_device`` telemetry messages at QoS
    1 (acknowledged by the broker); returns the loop time of the first publish."""
    ready = asyncio.Event()
    started: list[float] = []

    async def one(device_id: str) -> None:
        ctx = ssl.create_default_context(cafile=str(certs / "ca.crt"))
        ctx.load_cert_chain(certs / f"{device_id}.crt", certs / f"{device_id}.key")
        boot = random.getrandbits(32)
        async with aiomqtt.Client("127.0.0.1", port, identifier=device_id, tls_context=ctx,
                                  max_inflight_messages=20, timeout=60) as client:  # fmt: skip
            await ready.wait()
            if not started:
                started.append(asyncio.get_running_loop().time())
            name = topic(device_id, Channel.TELE)
            for seq in range(per_device):
                payload = encode_telemetry({"seq": seq, "boot": boot, "uptime_s": seq})
                await client.publish(name, payload, qos=1)

    tasks = [asyncio.create_task(one(d)) for d in devices]
    await asyncio.sleep(3.0)  # every device connected (TLS handshakes take a while)
    ready.set()
    await asyncio.gather(*tasks)
    return started[0]


async def forget_sessions(port: int, tls: tuple[str, str, str], names: list[str]) -> None:
    """End the instances' persistent sessions at the broker (connect once with a clean
    session): a stopped instance's session stays a member of the shared group and is handed
    its share of every message, which would wait there for it."""
    ca, cert, key = tls
    ctx = ssl.create_default_context(cafile=ca)
    ctx.load_cert_chain(cert, key)
    for name in names:
        async with aiomqtt.Client("127.0.0.1", port, identifier=name, tls_context=ctx,
                                  clean_session=True):  # fmt: skip
            pass


async def phase(work: Path, db: str, port: int, tls: tuple[str, str, str], names: list[str],
                devices: list[str], certs: Path, per_device: int) -> dict:  # type: ignore[type-arg]  # fmt: skip
    """The instances subscribe once and stop; the burst waits at the broker in their
    persistent sessions; then they start and drain it. The rate is the rows stored over the
    time from the first to the last one committed (``received_at``), so neither the
    devices' speed nor start-up counts."""
    conn = await asyncpg.connect(db.replace("postgres://", "postgresql://", 1))
    try:
        fleets = [spawn_fleet(work, n, db, port, tls) for n in names]
        for proc, base in fleets:
            await wait_healthy(
                proc, base, str(work)
            )  # subscribed: their sessions now exist at the broker
        for proc, _ in fleets:
            procs.stop(proc)
        await conn.execute("TRUNCATE telemetry")
        await burst(devices, port, certs, per_device)
        total = len(devices) * per_device
        fleets = [spawn_fleet(work, n, db, port, tls) for n in names]
        cpu0 = [cpu_seconds(p.pid) for p, _ in fleets]
        t0 = time.monotonic()
        stored = 0
        while time.monotonic() < t0 + 300:
            stored = await conn.fetchval("SELECT COUNT(*) FROM telemetry")
            if stored >= total:
                break
            await asyncio.sleep(0.05)
        wall = time.monotonic() - t0
        cpu = [cpu_seconds(p.pid) - c for (p, _), c in zip(fleets, cpu0, strict=True)]
        for proc, _ in fleets:
            procs.stop(proc)
        await forget_sessions(port, tls, names)
        row = await conn.fetchrow(
            "SELECT COUNT(DISTINCT (device_id, boot, seq)) AS d,"
            " EXTRACT(EPOCH FROM MAX(received_at) - MIN(received_at)) AS s FROM telemetry"
        )
        took = float(row["s"])
        return {"sent": total, "stored": stored, "distinct": row["d"], "seconds": took,
                "rate": stored / took, "cpu": [100 * c / wall for c in cpu]}  # fmt: skip
    finally:
        await conn.close()


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=400)
    ap.add_argument("--per-device", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="rounds of both; medians reported")
    opts = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crms-scale-"))
    db = await new_database()
    broker = None
    try:
        ca = FleetCA.create(work / "ca", PassphraseKeyStore(PASSPHRASE))
        plan = fleet_load.LoadPlan(badges=opts.devices, prefix="sc")
        ids = [d for d, _ in plan.device_ids()]
        await open_db(db)  # migrates
        await close_db()
        await fleet_load.register_all(db, plan.device_ids())
        certs = work / "certs"
        fleet_load.provision(work / "ca", PASSPHRASE, ids, certs)
        port = free_port()
        tls_files = broker_tls_files(ca, work / "broker-tls", ["127.0.0.1"], ids)
        broker = MosquittoProcess(render_config(work / "broker", port, "tls", tls=tls_files))
        broker.start()
        identity = fleet_identity(ca, work / "fleet-tls")
        tls = (identity.ca, identity.cert, identity.key)
        rates: dict[str, list[float]] = {"one instance": [], "two instances": []}
        ratios, lost = [], 0
        phases = (("one instance", ["fleet-1"]), ("two instances", ["fleet-1", "fleet-2"]))
        for round_ in range(1, opts.repeat + 1):
            for label, names in phases:
                r = await phase(work, db, port, tls, names, ids, certs, opts.per_device)
                rates[label].append(r["rate"])
                lost += r["sent"] - r["stored"]
                print(f"round {round_}, {label:<14} {r['sent']} sent, {r['stored']} stored "
                      f"({r['distinct']} distinct) in {r['seconds']:.1f} s: {r['rate']:.0f}"
                      " messages/s; instances' CPU "
                      + ", ".join(f"{c:.0f}%" for c in r["cpu"]))  # fmt: skip
            ratios.append(rates["two instances"][-1] / rates["one instance"][-1])
        ratio = statistics.median(ratios)
        print(f"median rate: one instance {statistics.median(rates['one instance']):.0f}/s, two "
              f"{statistics.median(rates['two instances']):.0f}/s; ratio per round "
              + ", ".join(f"{x:.2f}" for x in ratios))  # fmt: skip
        print(f"goal: two instances >= {GOAL_RATIO:g}x one instance's telemetry rate, zero loss at "
              f"QoS 1: median {ratio:.2f}x, {lost} lost -> "
              f"{'met' if ratio >= GOAL_RATIO and lost == 0 else 'NOT met'}")  # fmt: skip
    finally:
        if broker is not None:
            broker.stop()
        await drop_database(db)


if __name__ == "__main__":
    asyncio.run(main())
