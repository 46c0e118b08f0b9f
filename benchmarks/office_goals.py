"""The web office's goals with 10,000 devices, in one run against one fleet process.

The chain of ``device_list.py`` (1,000 stations in 10 regions, 10,000 devices with telemetry
and alerts) plus the office's people: an admin, regional and station managers, and 500
viewers with API tokens (20 operators over everything, 80 regional managers, 400 station
managers). The fleet manager runs as its own process (``crmsensor fleet serve``, SQLite by
default) with a real Mosquitto. Server times come from the fleet's own ``Server-Timing``
header (``app``: the whole request in the server; ``auth``: authentication and scope).

1. Pages: the overview (``/``) and the device list (``/devices``, and the API's
   ``/api/v1/devices`` at 100 and 1,000 a page), for an admin, a regional and a station
   manager: server time p50 and p95.
2. Authorisation's share of the device list's server time (``auth`` / ``app``), per request.
3. Telemetry ingest rate (a flood of QoS 1 telemetry from the 10,000 devices), without
   viewers and with the 500 SSE viewers connected, alternating rounds: the ratio of medians.
4. Live updates: 1,000 devices reporting every 10 s (100 messages/s) for ``--live-s`` seconds
   with the 500 viewers: the delay from the batch's commit (the event's ``t``) to a viewer
   receiving it, p50 and p95.

    .venv/bin/python benchmarks/office_goals.py [--devices 10000] [--requests 60] [--db URL]

Goals (issue 17): pages p95 < 150 ms; authorisation <= 10% of the device list's time; ingest
with viewers within 10% of without; commit -> viewer p95 < 1 s.
"""

import argparse
import asyncio
import random
import statistics
import threading
import time

import aiohttp
import orjson
import paho.mqtt.client as mqtt
from common import broker, fleet_process, p95, tmpdir
from device_list import seed
from ingest_throughput import publish_backlog
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_telemetry
from fleet.db import close_db, open_db, sqlite_url
from fleet.hierarchy.models import Region
from fleet.office import accounts
from fleet.office.access import Scope

# 20 operators on the overview; 80 regional managers (30 on their overview, 50 on a device list
# page of 100 devices); 400 station managers (a device page or their station's device list).
VIEWERS = {"operator": 20, "regional_manager": 80, "station_manager": 400}


async def people(db_url: str, n_devices: int) -> dict[str, list[tuple[str, str]]]:
    """Users with tokens, by kind; each viewer's token with the ``devices`` its page shows
    ("" for an overview)."""
    await open_db(db_url)
    try:
        regions = [r.id for r in await Region.all().order_by("id")]
        out: dict[str, list[tuple[str, str]]] = {"viewers": []}

        async def user(name: str, role: str, scope: Scope) -> str:
            u = await accounts.add_user(name, None, [accounts.GrantSpec(role, scope)])
            return await accounts.create_token(u, "bench")

        def ids(step: int, offset: int, limit: int) -> str:
            """Device ids of the seed (device i at station i % 1000, region i % 10)."""
            idx = range(offset, n_devices, step)
            return ",".join(f"{'kiosk' if i % 20 >= 17 else 'badge'}-{i:05d}" for i in idx[:limit])

        out["admin"] = [(await user("admin", "admin", Scope()), "")]
        out["regional"] = [(await user("regional", "regional_manager",
                                       Scope("region", str(regions[3]))), "")]  # fmt: skip
        out["station"] = [(await user("station", "station_manager",
                                      Scope("station", "st-0007")), "")]  # fmt: skip
        n = 0
        for role, count in VIEWERS.items():
            for i in range(count):
                if role == "operator":  # overviews of everything
                    scope, shows = Scope(), ""
                elif role == "regional_manager":  # a device list page of their region
                    r = i % len(regions)
                    scope, shows = Scope("region", str(regions[r])), ids(10, r, 100)
                    if i < 30:
                        shows = ""  # their overview
                else:  # a station's device list, or one device's page
                    s = (i * 7) % 1000
                    scope, shows = Scope("station", f"st-{s:04d}"), ids(1000, s, 10)
                    if i % 3 == 0:
                        shows = shows.split(",")[0]
                out["viewers"].append((await user(f"viewer-{n:03d}", role, scope), shows))
                n += 1
        return out
    finally:
        await close_db()


def _timing(header: str) -> dict[str, float]:
    out = {}
    for part in header.split(","):
        name, _, dur = part.strip().partition(";dur=")
        if dur:
            out[name] = float(dur)
    return out


async def pages(base: str, tokens: dict[str, list[str]], rounds: int) -> dict[str, list[dict]]:
    """Server timings of each page kind for each kind of user."""
    paths = {
        "overview /": "",
        "device list /devices": "devices",
        "API devices, 100": "api/v1/devices?limit=100",
        "API devices, 1000": "api/v1/devices?limit=1000",
    }
    found: dict[str, list[dict]] = {}
    for who in ("admin", "regional", "station"):
        headers = {"Authorization": f"Bearer {tokens[who][0][0]}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            for i in range(rounds + 3):
                for name, path in paths.items():
                    async with http.get(base + path) as r:
                        await r.read()
                        if r.status != 200:
                            raise SystemExit(f"{who} {path}: HTTP {r.status}")
                        if i >= 3:  # after warm-up
                            found.setdefault(f"{name} ({who})", []).append(
                                _timing(r.headers["Server-Timing"])
                            )
    return found


async def written(base: str, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.get(base + "api/v1/ingest") as r,
    ):
        return int((await r.json())["written"])


async def ingest_rate(base: str, token: str, port: int, devices: list[str], n: int) -> float:
    """Messages stored per second for a flood of ``n``."""
    before = await written(base, token)
    t0 = time.perf_counter()
    await asyncio.to_thread(publish_backlog, port, devices, n)
    while await written(base, token) < before + n:
        await asyncio.sleep(0.05)
    return n / (time.perf_counter() - t0)


class Viewers:
    """500 EventSource-like streams; every event's delay since its commit is kept."""

    def __init__(self, base: str, tokens: list[tuple[str, str]]) -> None:
        self.base, self.tokens = base, tokens
        self.delays: list[float] = []
        self.events = 0
        self.recording = False
        self.ready = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def _one(self, token: str, shows: str) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        query = f"?devices={shows}" if shows else ""
        async with (
            aiohttp.ClientSession(headers=headers, timeout=timeout) as http,
            http.get(self.base + "api/v1/live" + query) as r,
        ):
            self.ready += 1
            rest = b""
            while True:
                chunk = await r.content.readany()
                if not chunk:
                    return
                if not self.recording:  # the floods: read, do not parse
                    continue
                now = time.time()
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                for line in lines:
                    if line.startswith(b'data: {"device"'):
                        self.delays.append(now - orjson.loads(line[6:])["t"])
                        self.events += 1

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._one(t, shows)) for t, shows in self.tokens]
        while self.ready < len(self.tokens):
            await asyncio.sleep(0.1)

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def steady(port: int, devices: list[str], seconds: float, stop: threading.Event) -> int:
    """Each device reports every 10 s, spread evenly: len(devices) / 10 messages a second."""
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-steady-{time.time_ns()}")
    c.connect("127.0.0.1", port)
    c.loop_start()
    per_s = len(devices) / 10
    sent, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and not stop.is_set():
        due = int((time.perf_counter() - start) * per_s)
        while sent < due:
            payload = encode_telemetry({"seq": sent, "uptime_s": sent, "batt_pct": 70})
            c.publish(topic(devices[sent % len(devices)], Channel.TELE), payload, qos=1)
            sent += 1
        time.sleep(0.005)
    c.disconnect()
    c.loop_stop()
    return sent


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devices", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=60, help="requests per page and user")
    ap.add_argument("--flood", type=int, default=20_000, help="telemetry messages per flood")
    ap.add_argument("--live-s", type=float, default=30.0)
    ap.add_argument("--rounds", type=int, default=3, help="floods without and with viewers")
    ap.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = ap.parse_args()
    workdir = tmpdir()
    db_url = args.db or sqlite_url(str(workdir / "fleet.sqlite3"))
    ids = await seed(db_url, args.devices)
    tokens = await people(db_url, args.devices)
    async with broker(workdir) as mq, fleet_process(workdir, db_url, mq.config.port) as base:
        admin = tokens["admin"][0][0]
        timings = await pages(base, tokens, args.requests)
        without, with_ = [], []
        for _ in range(args.rounds):  # alternating, so drift on a shared machine hits both
            without.append(await ingest_rate(base, admin, mq.config.port, ids, args.flood))
            viewers = Viewers(base, tokens["viewers"])
            await viewers.start()
            with_.append(await ingest_rate(base, admin, mq.config.port, ids, args.flood))
            await viewers.stop()
        no_viewers, with_viewers = statistics.median(without), statistics.median(with_)
        viewers = Viewers(base, tokens["viewers"])
        await viewers.start()
        shown = sorted({d for _, s in tokens["viewers"] for d in s.split(",") if d})
        live_devices = random.Random(3).sample(shown, min(1000, len(shown)))
        viewers.delays.clear()
        viewers.recording = True
        stop = threading.Event()
        sent = await asyncio.to_thread(steady, mq.config.port, live_devices, args.live_s, stop)
        await asyncio.sleep(2.0)  # the last events on their way
        viewers.recording = False
        await viewers.stop()
    report(args, timings, no_viewers, with_viewers, viewers, sent)


def report(
    args: argparse.Namespace,
    timings: dict[str, list[dict]],
    no_viewers: float,
    with_viewers: float,
    viewers: Viewers,
    sent: int,
) -> None:
    print(f"{args.devices:,} devices, {args.requests} requests per page and user\n")
    print(f"{'page (user)':40} {'p50 ms':>8} {'p95 ms':>8} {'auth share':>11}")
    worst_page = 0.0
    shares: list[float] = []
    for name, ts in timings.items():
        app = [t["app"] for t in ts]
        share = [t.get("auth", 0.0) / t["app"] for t in ts if t["app"] > 0]
        print(f"{name:40} {statistics.median(app):8.1f} {p95(app):8.1f} "
              f"{statistics.median(share) * 100:10.1f}%")  # fmt: skip
        if name.startswith(("overview", "device list")):
            worst_page = max(worst_page, p95(app))
        if name.startswith("API devices, 100"):
            shares += share
    print(f"\npages p95 (worst of overview and device list): {worst_page:.1f} ms "
          f"(goal < 150 ms: {'yes' if worst_page < 150 else 'NO'})")  # fmt: skip
    auth = statistics.median(shares) * 100
    print(f"authorisation share of the device list (100 a page), median: {auth:.1f}% "
          f"(goal <= 10%: {'yes' if auth <= 10 else 'NO'})")  # fmt: skip
    ratio = with_viewers / no_viewers
    print(f"telemetry ingest (median of {args.rounds} alternating floods of {args.flood:,}): "
          f"{no_viewers:,.0f} msg/s without viewers, {with_viewers:,.0f} msg/s with "
          f"{len(viewers.tokens)} SSE viewers: {ratio:.2f} (goal >= 0.90: "
          f"{'yes' if ratio >= 0.9 else 'NO'})")  # fmt: skip
    d = sorted(viewers.delays)
    if d:
        ok = "yes" if p95(d) < 1 else "NO"
        print(f"live: {sent} reports in {args.live_s:.0f} s, {viewers.events:,} events delivered "
              f"to {len(viewers.tokens)} viewers; commit -> viewer p50 "
              f"{statistics.median(d) * 1000:.0f} ms, p95 {p95(d) * 1000:.0f} ms, max "
              f"{d[-1] * 1000:.0f} ms (goal p95 < 1 s: {ok})")  # fmt: skip
    else:
        print("live: no events reached the viewers")


if __name__ == "__main__":
    asyncio.run(main())
