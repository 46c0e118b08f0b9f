"""Issue 22's load and failover goals, in one run: two fleet instances on PostgreSQL sharing
`$share/fleet/...` through Mosquitto's `tls` profile (each device its own certificate).

1. The web office with no device sending: p95 of its pages (the baseline).
2. Run A: ``--devices`` simulated devices (``crmsensor sim fleet``'s) for ``--duration`` s,
   telemetry every 10 s, an event every 60 s, 5% of the badges uploading a recording every
   60 s. Halfway the instance holding the leader lease is killed (SIGKILL) and started again
   ``--restart-after`` s later (20 s: past its lease's expiry, so the other must take over).
   Printed: when the singleton jobs ran again, events acknowledged against stored (each
   once), recordings completed and uploads left, telemetry (QoS 0) sent and stored, ingest
   latency from publish to commit, CPU per instance, and the web office's p95 under the load
   against the baseline.
3. Run B: ``--big-devices`` for ``--duration`` s at telemetry every 60 s, with a 60 s MQTT
   keepalive (the fleet calls a device silent after 1.5 x its keepalive without a message, so
   a device's keepalive must not be shorter than its telemetry period); the same figures,
   without the kill.

Ingest latency is measured by a probe device of the run publishing a QoS 1 event a second and
polling the database for it every 10 ms (publish to committed and visible). Everything shares
this machine's two cores (the devices' processes, the broker, PostgreSQL, both instances), so
CPU per instance is also a share of a machine that is doing all of it. The devices' processes
run niced (``--nice``, 10): real devices bring their own CPUs, so here they take what the
system under test leaves rather than competing with it for the web office's latency.

    .venv/bin/python benchmarks/load_failover.py [--devices 1000] [--big-devices 10000]
        [--duration 600] [--quick]
"""

import argparse
import asyncio
import signal
import ssl
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import aiomqtt
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import cpu_seconds, p95, spawn_instance, wait_healthy
from benchmarks.review_reports import drop_database, new_database
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_event
from devtools import procs
from devtools.broker import MosquittoProcess, free_port, render_config
from devtools.sim import fleet_load
from fleet.db import close_db, open_db
from fleet.identity.broker_access import broker_tls_files, fleet_identity
from fleet.identity.ca import FleetCA, PassphraseKeyStore

PASSPHRASE = "a benchmark passphrase"
PROBE = "lprobe-0001"
EVENT_TYPES = ("worn", "unworn", "session_start", "session_end")
PAGES = ("", "devices", "api/v1/devices?limit=100")
TAKEOVER_GOAL_S = 15.0
LEADER_TTL_S = 10.0  # the fleet's leader_ttl_s default
OFFICE_GOAL = 1.2  # p95 under load within 20% of the baseline


@dataclass
class Instance:
    name: str
    proc: Any = None
    base: str = ""
    cpu_s: float = 0.0  # CPU used by its earlier processes (a killed one's) in this run
    cpu_mark: float = 0.0


@dataclass
class Site:
    work: Path
    db: str
    port: int
    tls: tuple[str, str, str]
    certs: Path
    instances: list[Instance] = field(default_factory=list)

    async def start(self, inst: Instance) -> None:
        inst.proc, inst.base = spawn_instance(self.work, inst.name, self.db, self.port, self.tls)
        await wait_healthy(inst.proc, inst.base, str(self.work / inst.name / "fleet.log"))
        inst.cpu_mark = cpu_seconds(inst.proc.pid)

    def cpu_used(self, inst: Instance) -> float:
        live = cpu_seconds(inst.proc.pid) - inst.cpu_mark if inst.proc.poll() is None else 0.0
        return inst.cpu_s + live

    def mark_cpu(self) -> None:
        for inst in self.instances:
            inst.cpu_s, inst.cpu_mark = 0.0, cpu_seconds(inst.proc.pid)


async def office_once(http: aiohttp.ClientSession, site: Site, i: int) -> float:
    """One page, from the instances in turn (as a proxy would; the next on a refusal)."""
    path = PAGES[i % len(PAGES)]
    for k in range(len(site.instances)):
        inst = site.instances[(i + k) % len(site.instances)]
        t0 = time.perf_counter()
        try:
            async with http.get(inst.base + path) as r:
                await r.read()
                if r.status == 200:
                    return time.perf_counter() - t0
        except aiohttp.ClientError:
            continue
    raise RuntimeError(f"no instance answered /{path}")


async def office_p95(http: aiohttp.ClientSession, site: Site, n: int, every_s: float) -> float:
    times = []
    for i in range(n):
        times.append(await office_once(http, site, i))
        await asyncio.sleep(every_s)
    return p95(times)


class Probe:
    """A device publishing a QoS 1 event a second; each one's time from publish to visible
    in the database."""

    def __init__(self, site: Site, db: asyncpg.Pool) -> None:
        self.site, self.db = site, db
        self.latencies: list[tuple[float, float]] = []  # (sent at, seconds)
        self.seq = 0
        self.boot = int(time.time()) & 0xFFFFFFFF

    async def run(self, until: float) -> None:
        ctx = ssl.create_default_context(cafile=str(self.site.certs / "ca.crt"))
        ctx.load_cert_chain(self.site.certs / f"{PROBE}.crt", self.site.certs / f"{PROBE}.key")
        polls: list[asyncio.Task[None]] = []
        async with aiomqtt.Client("127.0.0.1", self.site.port, identifier=PROBE,
                                  tls_context=ctx) as client:  # fmt: skip
            while time.monotonic() < until:
                seq = self.seq
                self.seq += 1
                payload = encode_event(seq, "worn", None, {"session": "probe"}, self.boot)
                t0 = time.monotonic()
                await client.publish(topic(PROBE, Channel.EVT), payload, qos=1)
                polls.append(asyncio.create_task(self._seen(seq, t0)))
                await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))
        await asyncio.gather(*polls)

    async def _seen(self, seq: int, t0: float) -> None:
        while time.monotonic() - t0 < 120:
            if await self.db.fetchval(
                "SELECT 1 FROM event WHERE device_id = $1 AND boot = $2 AND seq = $3",
                PROBE, self.boot, seq,
            ):  # fmt: skip
                self.latencies.append((t0, time.monotonic() - t0))
                return
            await asyncio.sleep(0.01)
        self.latencies.append((t0, float("inf")))


async def restart(site: Site, victim: Instance, after_s: float) -> None:
    """Start ``victim`` again ``after_s`` after its death, as systemd would; its CPU so far
    is kept."""
    await asyncio.sleep(after_s)
    cpu_before = victim.cpu_s
    await site.start(victim)
    victim.cpu_s = cpu_before


async def lease_renewed(db: asyncpg.Pool, killed: datetime) -> tuple[float, str]:
    """Seconds from ``killed`` until a live instance holds the leader lease (renewed after the
    kill: it expires later than the dead one's could), and who."""
    dead_until = killed + timedelta(seconds=LEADER_TTL_S)
    while True:
        row = await db.fetchrow("SELECT holder, expires_at FROM job_lease WHERE name = 'leader'")
        expires = row["expires_at"] if row is not None else None
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)  # stored as UTC
        if expires is not None and expires > dead_until:
            return (datetime.now(UTC) - killed).total_seconds(), str(row["holder"])
        await asyncio.sleep(0.1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def leader(db: asyncpg.Pool) -> str | None:
    return str(await db.fetchval("SELECT holder FROM job_lease WHERE name = 'leader'"))


async def counts(db: asyncpg.Pool, prefix: str) -> dict[str, int]:
    like = f"{prefix}%"
    row = await db.fetchrow(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT (device_id, boot, seq)) AS d FROM event"
        " WHERE device_id LIKE $1 AND type = ANY($2::text[])", like, list(EVENT_TYPES),
    )  # fmt: skip
    return {
        "evt": int(row["n"]),
        "evt_distinct": int(row["d"]),
        "tele": await db.fetchval("SELECT COUNT(*) FROM telemetry WHERE device_id LIKE $1", like),
        "recordings": await db.fetchval(
            "SELECT COUNT(*) FROM recording WHERE device_id LIKE $1", like
        ),
        "uploads_left": await db.fetchval(
            "SELECT COUNT(*) FROM upload WHERE device_id LIKE $1", like
        ),
        "offline": await db.fetchval(
            "SELECT COUNT(*) FROM device WHERE id LIKE $1 AND NOT online", like
        ),
    }


async def run(site: Site, db: asyncpg.Pool, http: aiohttp.ClientSession,
              plan: fleet_load.LoadPlan, procs_n: int, kill: float | None,
              restart_after: float, baseline: float, nice: int) -> bool:  # fmt: skip
    """One load run; prints its figures; True when its goals were met."""
    plan = replace(plan, port=site.port, tls_dir=site.certs)
    label = f"{plan.badges + plan.kiosks:,} devices, telemetry every {plan.tele_s:g} s"
    print(f"\n--- {label}, {plan.duration_s:g} s (device processes at nice {nice}) ---",
          flush=True)  # fmt: skip
    site.mark_cpu()
    t_start = time.monotonic()
    until = t_start + plan.duration_s
    devices = asyncio.create_task(asyncio.to_thread(fleet_load.run_load, plan, procs_n, nice))
    probe = Probe(site, db)
    probing = asyncio.create_task(probe.run(until))
    office: list[float] = []
    killed_at = led_after = None
    by = ""
    offline: int | None = None
    window: tuple[float, float] | None = None
    i = 0
    while time.monotonic() < until:
        if kill is not None and killed_at is None and time.monotonic() > t_start + kill:
            holder = await leader(db)
            victim = next(x for x in site.instances if x.name == holder)
            victim.cpu_s = site.cpu_used(victim)
            victim.proc.send_signal(signal.SIGKILL)
            victim.proc.wait()
            killed_at, killed_wall = time.monotonic(), datetime.now(UTC)
            print(f"killed {victim.name} (the leader) at {killed_at - t_start:.0f} s", flush=True)
            restarting = asyncio.create_task(restart(site, victim, restart_after))
            led_after, by = await lease_renewed(db, killed_wall)
            await restarting
            window = (killed_at, time.monotonic() + 10)
            print(
                f"  singleton jobs running again {led_after:.1f} s after the kill (leader: "
                f"{by}); {victim.name} restarted {restart_after:g} s after it",
                flush=True,
            )
        office.append(await office_once(http, site, i))
        i += 1
        if until - time.monotonic() < 3.0 and offline is None:  # before the devices stop
            offline = (await counts(db, plan.prefix))["offline"]
        await asyncio.sleep(1.0)
    wall = time.monotonic() - t_start
    sent: fleet_load.Sent = await devices
    await probing
    cpu = {x.name: 100 * site.cpu_used(x) / wall for x in site.instances}
    # everything acknowledged is stored once the instances drained what they held
    deadline = time.monotonic() + 120
    got = await counts(db, plan.prefix)
    while time.monotonic() < deadline and (
        got["evt"] < sent.counts["evt"] or got["uploads_left"] or
        got["recordings"] < sent.recordings
    ):  # fmt: skip
        await asyncio.sleep(1.0)
        got = await counts(db, plan.prefix)
    lost = sent.counts["evt"] - got["evt_distinct"]
    dupes = got["evt"] - got["evt_distinct"]
    lat = [s for _, s in probe.latencies]
    calm = [s for t, s in probe.latencies if window is None or not window[0] <= t <= window[1]]
    print(fleet_load.summary(plan, sent))
    unacked = sent.counts["evt_unacked"]
    print(f"events: {sent.counts['evt']:,} acknowledged by the broker, {got['evt']:,} stored "
          f"({got['evt_distinct']:,} distinct): {lost} lost, {dupes} duplicated; "
          f"{sent.counts['evt_acked']:,} acknowledged by the fleet, {unacked} never, "
          f"{sent.counts['evt_resent']:,} sent again")  # fmt: skip
    print(f"recordings: {sent.recordings} acknowledged complete, {got['recordings']} stored, "
          f"{got['uploads_left']} uploads left unfinished")  # fmt: skip
    print(f"telemetry (QoS 0): {sent.counts['tele']:,} sent, {got['tele']:,} stored")
    print(f"devices not online 3 s before the end of the run: {offline}")
    print(f"ingest latency, publish to commit ({len(lat)} probes): median "
          f"{statistics.median(lat) * 1000:.0f} ms, p99 {percentile(lat, 0.99) * 1000:.0f} ms"
          + (f"; outside the failover window p99 {percentile(calm, 0.99) * 1000:.0f} ms"
             if window else ""))  # fmt: skip
    print("CPU per instance (% of one core over the run): "
          + ", ".join(f"{n} {c:.0f}%" for n, c in cpu.items()))  # fmt: skip
    office_p = p95(office)
    print(f"web office p95 under load: {office_p * 1000:.0f} ms ({len(office)} pages) against "
          f"{baseline * 1000:.0f} ms idle: {office_p / baseline:.2f}x")  # fmt: skip
    ok = lost == 0 and dupes == 0 and unacked == 0 and got["uploads_left"] == 0
    ok = ok and got["recordings"] == sent.recordings and office_p <= OFFICE_GOAL * baseline
    if kill is not None:
        ok = ok and led_after is not None and led_after <= TAKEOVER_GOAL_S
        print(f"goal: the singleton jobs run again within {TAKEOVER_GOAL_S:g} s of the kill: "
              f"{led_after:.1f} s, on {by}")  # fmt: skip
    print(f"goal ({label}): zero loss, no duplicates, no upload unfinished, office p95 within "
          f"20%: {'met' if ok else 'NOT met'}", flush=True)  # fmt: skip
    return ok


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=1000, help="0: no run with a kill")
    ap.add_argument("--big-devices", type=int, default=10_000, help="0: no second run")
    ap.add_argument("--duration", type=float, default=600.0)
    ap.add_argument("--restart-after", type=float, default=20.0,
                    help="seconds before the killed instance starts again (past its "
                         "lease's expiry: the other must take over; systemd waits 2)")  # fmt: skip
    ap.add_argument("--procs", type=int, default=2, help="device simulator processes")
    ap.add_argument("--nice", type=int, default=10,
                    help="niceness of the device processes: on this one machine they then "
                         "take what CPU the broker, PostgreSQL and the fleet leave, as "
                         "devices elsewhere would (0: compete as equals)")  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="100 and 500 devices for 60 s")
    opts = ap.parse_args()
    if opts.quick:
        opts.devices, opts.big_devices, opts.duration = 100, 500, 60.0
    n_badges = round(opts.devices * 0.8)
    plan_a = fleet_load.LoadPlan(badges=n_badges, kiosks=opts.devices - n_badges,
                                 duration_s=opts.duration, tele_s=10.0, evt_s=60.0,
                                 upload_share=0.05 / 0.8, upload_every_s=60.0, prefix="la",
                                 ramp_s=10.0)  # fmt: skip
    n_big = round(opts.big_devices * 0.8)
    plan_b = fleet_load.LoadPlan(badges=n_big, kiosks=opts.big_devices - n_big,
                                 duration_s=opts.duration, tele_s=60.0, evt_s=300.0,
                                 upload_share=0.0, prefix="lb", ramp_s=60.0,
                                 keepalive_s=60)  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="crms-load-"))
    db_url = await new_database()
    broker = None
    site = None
    try:
        t0 = time.monotonic()
        ca = FleetCA.create(work / "ca", PassphraseKeyStore(PASSPHRASE))
        every = [*plan_a.device_ids(), *plan_b.device_ids(), (PROBE, "badge")]
        ids = [d for d, _ in every]
        await open_db(db_url)  # migrates
        await close_db()
        await fleet_load.register_all(db_url, every)
        certs = work / "certs"
        fleet_load.provision(work / "ca", PASSPHRASE, ids, certs)
        port = free_port()
        tls_files = broker_tls_files(ca, work / "broker-tls", ["127.0.0.1"], ids)
        broker = MosquittoProcess(render_config(work / "broker", port, "tls", tls=tls_files))
        broker.start()
        identity = fleet_identity(ca, work / "fleet-tls")
        site = Site(work, db_url, port, (identity.ca, identity.cert, identity.key), certs)
        site.instances = [Instance("fleet-1"), Instance("fleet-2")]
        for inst in site.instances:
            await site.start(inst)
        print(f"set up {len(ids):,} devices, their certificates, the broker and two instances "
              f"in {time.monotonic() - t0:.0f} s", flush=True)  # fmt: skip
        # a pool: the probe's polls and the run's queries go on at the same time
        db = await asyncpg.create_pool(db_url.replace("postgres://", "postgresql://", 1),
                                       min_size=2, max_size=4)  # fmt: skip
        token = await admin_token(db_url)
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
            for i in range(6):  # warm-up
                await office_once(http, site, i)
            baseline = await office_p95(http, site, 60, 0.2)
            print(f"web office p95 with no device sending: {baseline * 1000:.0f} ms (60 pages)")
            ok_a = (
                await run(site, db, http, plan_a, opts.procs, opts.duration / 2,
                          opts.restart_after, baseline, opts.nice)
                if opts.devices
                else None
            )  # fmt: skip
            ok_b = (
                await run(site, db, http, plan_b, opts.procs, None, 0.0, baseline, opts.nice)
                if opts.big_devices
                else None
            )
        await db.close()
        verdict_a = "not run" if ok_a is None else "met" if ok_a else "NOT met"
        verdict_b = "not run" if ok_b is None else "met" if ok_b else "NOT met"
        print(f"\ngoals: {opts.devices:,} devices with a kill: {verdict_a}; "
              f"{opts.big_devices:,} devices: {verdict_b}")  # fmt: skip
    finally:
        if site is not None:
            for inst in site.instances:
                if inst.proc is not None:
                    procs.stop(inst.proc)
        if broker is not None:
            broker.stop()
        await drop_database(db_url)


async def admin_token(db_url: str) -> str:
    from fleet.office import accounts

    await open_db(db_url)
    try:
        user = await accounts.add_user("bench-admin", None, [accounts.GrantSpec("admin")])
        return await accounts.create_token(user, "load")
    finally:
        await close_db()


if __name__ == "__main__":
    asyncio.run(main())
