"""A light simulator of a whole network's devices (``crmsensor sim fleet``): thousands of
badges and kiosks speaking the real contract from a few processes, each an aiomqtt client on
the event loop, not a firmware. A badge announces itself (retained status, last will), sends
telemetry every ``tele_s`` and worn/unworn events every ``evt_s``, answers commands, and a
share of them upload a recording every ``upload_every_s`` on the same connection (manifest,
chunks, the fleet's acks). A kiosk sends session start and end events. TLS with per-device
client certificates when given a folder of them (:func:`provision`).

What each process sent is counted (QoS 1 messages once the broker acknowledged them) and
summed in :class:`Sent`: the load and failover benchmarks compare it with the rows stored.
"""

import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import random
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiomqtt

from crmsensor.errors import ProtocolError
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import (
    decode_command,
    decode_event_ack,
    encode_command_result,
    encode_event,
    encode_status_online,
    encode_telemetry,
)
from crmsensor.protocol.messages import LAST_WILL_PAYLOAD
from crmsensor.protocol.schema import encode_json
from devtools.sim.uploader import chunk_messages, manifest_for, missing

log = logging.getLogger("devtools.sim.fleet_load")

CHUNK = 8192


@dataclass(frozen=True)
class LoadPlan:
    """What the simulated network does."""

    badges: int
    kiosks: int = 0
    duration_s: float = 60.0
    tele_s: float = 10.0
    evt_s: float = 60.0
    upload_share: float = 0.05  # of the badges, each uploading a recording ...
    upload_every_s: float = 60.0  # ... this often
    upload_bytes: int = 64_000  # 2 s of 16 kHz PCM
    keepalive_s: int = 30
    host: str = "127.0.0.1"
    port: int = 1883
    tls_dir: Path | None = None  # <id>.crt, <id>.key and ca.crt (provision())
    prefix: str = "sim"
    ramp_s: float | None = None  # devices start spread over this (default: min(tele_s, 5))
    evt_resend_s: float = 30.0  # an event the fleet has not acked this long is sent again
    ack_wait_s: float = 10.0  # after the run, how long to wait for the last event acks

    def device_ids(self) -> list[tuple[str, str]]:
        """(id, kind) of every simulated device, badges first."""
        return [(f"{self.prefix}b-{i:05d}", "badge") for i in range(self.badges)] + [
            (f"{self.prefix}k-{i:05d}", "kiosk") for i in range(self.kiosks)
        ]


@dataclass
class Sent:
    """What the devices sent: messages by kind (QoS 1 ones acknowledged by the broker)."""

    counts: Counter[str] = field(default_factory=Counter)
    recordings: int = 0  # uploads the fleet acknowledged complete
    connect_errors: int = 0

    def add(self, other: "Sent") -> None:
        self.counts.update(other.counts)
        self.recordings += other.recordings
        self.connect_errors += other.connect_errors


def provision(ca_dir: Path, passphrase: str, ids: list[str], out: Path) -> None:
    """Issue a client certificate for each of ``ids`` from the fleet CA into ``out`` (those
    there already are kept), in batches of 500 (the CA's index is written once a batch)."""
    from fleet.identity.ca import FleetCA, PassphraseKeyStore

    ca = FleetCA.open(ca_dir, PassphraseKeyStore(passphrase))
    out.mkdir(parents=True, exist_ok=True)
    (out / "ca.crt").write_bytes(ca.cert_file.read_bytes())
    todo = [d for d in ids if not (out / f"{d}.crt").exists()]
    for i in range(0, len(todo), 500):
        batch = todo[i : i + 500]
        for device_id, issued in zip(batch, ca.issue_many("device", batch), strict=True):
            issued.save(out / f"{device_id}.crt", out / f"{device_id}.key")


def _tls(plan: LoadPlan, device_id: str) -> ssl.SSLContext | None:
    if plan.tls_dir is None:
        return None
    ctx = ssl.create_default_context(cafile=str(plan.tls_dir / "ca.crt"))
    ctx.load_cert_chain(plan.tls_dir / f"{device_id}.crt", plan.tls_dir / f"{device_id}.key")
    return ctx


async def _nap(seconds: float, until: float) -> None:
    """Sleep ``seconds``, or until ``until`` (loop time) when that comes first."""
    left = until - asyncio.get_running_loop().time()
    await asyncio.sleep(max(0.0, min(seconds, left)))


class LoadDevice:
    """One simulated device; :meth:`run` until ``until`` (loop time)."""

    def __init__(self, plan: LoadPlan, device_id: str, kind: str, uploads: bool) -> None:
        self.plan, self.device_id, self.kind, self.uploads = plan, device_id, kind, uploads
        self.boot = random.getrandbits(32)
        self.sent = Sent()
        self._tele = self._evt = self._recs = 0
        self._acks: asyncio.Queue[dict[str, object]] = asyncio.Queue()
        # events the broker took and the fleet has not acked: seq -> (payload, sent at)
        self._held: dict[int, tuple[bytes, float]] = {}
        self._upload_under_way: tuple[str, bytes] | None = None  # (rec id, data)
        self._upload_wait = random.uniform(0, plan.upload_every_s)  # before the next upload

    async def run(self, until: float) -> None:
        """Connect and send until ``until``; when the connection drops (a broker restart, a
        partition), connect again with the same session and carry on where it stopped: an
        event not acknowledged is sent again with the same seq, an upload resumes."""
        loop = asyncio.get_running_loop()
        p = self.plan
        ramp = p.ramp_s if p.ramp_s is not None else min(p.tele_s, 5.0)
        await asyncio.sleep(random.uniform(0, ramp))  # not all at once
        while loop.time() < until or self._upload_under_way is not None:
            try:
                await self._session(until)
                return
            except aiomqtt.MqttError as exc:
                self.sent.connect_errors += 1
                log.warning("%s: %s", self.device_id, exc)
                if loop.time() > until + 30:
                    return
                await asyncio.sleep(1.0)

    async def _session(self, until: float) -> None:
        p = self.plan
        will = aiomqtt.Will(topic(self.device_id, Channel.STATUS), LAST_WILL_PAYLOAD, 1, True)
        async with aiomqtt.Client(p.host, p.port, identifier=self.device_id, will=will,
                                  keepalive=p.keepalive_s, tls_context=_tls(p, self.device_id),
                                  clean_session=False, timeout=30) as client:  # fmt: skip
            status = encode_status_online(self.kind, "0.1.0", f"{self.kind}-r1", self.boot,
                                          p.keepalive_s)  # fmt: skip
            await client.publish(topic(self.device_id, Channel.STATUS), status, 1, retain=True)
            self.sent.counts["status"] += 1
            await client.subscribe(topic(self.device_id, Channel.CMD), qos=1)
            await client.subscribe(topic(self.device_id, Channel.ACK), qos=1)
            jobs = [self._telemetry(client, until), self._events(client, until)]
            if self.uploads:
                jobs.append(self._upload_loop(client, until))
            tasks = [asyncio.create_task(j) for j in jobs]
            reader = asyncio.create_task(self._read(client))
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            finally:
                # one job's lost link ends them all: none may outlive its connection (an
                # orphan would take the next session's acks)
                for task in [*tasks, reader]:
                    task.cancel()
                await asyncio.gather(*tasks, reader, return_exceptions=True)
            for task in tasks:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]

    async def _telemetry(self, client: aiomqtt.Client, until: float) -> None:
        loop = asyncio.get_running_loop()
        while loop.time() < until:
            fields = {"seq": self._tele, "boot": self.boot, "uptime_s": self._tele,
                      "fw": "0.1.0"}  # fmt: skip
            if self.kind == "badge":
                fields.update(batt_pct=80, charging=self.uploads, worn=self._evt % 2 == 1)
            else:
                fields.update(fps=10.0, camera_ok=True, queue=0)
            self._tele += 1
            await client.publish(topic(self.device_id, Channel.TELE), encode_telemetry(fields))
            self.sent.counts["tele"] += 1
            await _nap(self.plan.tele_s, until)

    async def _events(self, client: aiomqtt.Client, until: float) -> None:
        """An event every ``evt_s``, each held until the fleet's event ack covers it and sent
        again (same seq) when none came in ``evt_resend_s`` (as the firmware does)."""
        loop = asyncio.get_running_loop()
        await self._resend(client)
        await _nap(random.uniform(0, self.plan.evt_s), until)
        while loop.time() < until:
            if self.kind == "badge":
                kind = "worn" if self._evt % 2 == 0 else "unworn"
                data: dict[str, object] = {"session": f"w-{self.boot:08x}-{self._evt // 2}"}
            else:
                kind = "session_start" if self._evt % 2 == 0 else "session_end"
                data = {"session": f"s-{self.boot:08x}-{self._evt // 2}", "roi": "desk",
                        "t_s": float(self._evt), "lag_s": 1.0}  # fmt: skip
                if kind == "session_end":
                    data["duration_s"] = 30.0
            payload = encode_event(self._evt, kind, int(time.time()), data, self.boot)
            self._held[self._evt] = (payload, loop.time())  # before: the ack may come first
            await client.publish(topic(self.device_id, Channel.EVT), payload, qos=1)
            self._evt += 1  # acknowledged: the next one (a lost link resends this seq)
            self.sent.counts["evt"] += 1
            await _nap(self.plan.evt_s, until)
            await self._resend(client)
        end = loop.time() + self.plan.ack_wait_s
        while self._held and loop.time() < end:
            await asyncio.sleep(0.2)
            await self._resend(client)
        self.sent.counts["evt_unacked"] += len(self._held)
        self._held.clear()

    async def _resend(self, client: aiomqtt.Client) -> None:
        now = asyncio.get_running_loop().time()
        for seq, (payload, at) in list(self._held.items()):
            if now - at >= self.plan.evt_resend_s and seq in self._held:
                self._held[seq] = (payload, now)
                await client.publish(topic(self.device_id, Channel.EVT), payload, qos=1)
                self.sent.counts["evt_resent"] += 1

    def _event_ack(self, ranges: list[tuple[int, int, int]]) -> None:
        for boot, first, last in ranges:
            if boot == self.boot:
                for seq in [s for s in self._held if first <= s <= last]:
                    del self._held[seq]
                    self.sent.counts["evt_acked"] += 1

    async def _read(self, client: aiomqtt.Client) -> None:
        async for msg in client.messages:
            name = str(msg.topic)
            if name.endswith("/ack"):
                with contextlib.suppress(ProtocolError):
                    ranges = decode_event_ack(bytes(msg.payload))
                    if ranges is not None:
                        self._event_ack(ranges)
                        continue
                with contextlib.suppress(ValueError):
                    await self._acks.put(json.loads(bytes(msg.payload)))
                continue
            try:
                cmd_id, op, _args = decode_command(bytes(msg.payload))
            except ProtocolError:
                continue
            ok = op == "ping"
            answer = encode_command_result(cmd_id, ok, {"uptime_s": self._tele} if ok else None,
                                           None if ok else f"unsupported op: {op}")  # fmt: skip
            await client.publish(topic(self.device_id, Channel.CMD_RES), answer, 1)
            self.sent.counts["cmd_res"] += 1

    async def _settled_ack(self, rec_id: str, settle_s: float = 1.5) -> dict[str, object] | None:
        """The fleet's last word on ``rec_id`` once its acks stop coming (or a final one)."""
        latest = None
        while True:
            try:
                ack = await asyncio.wait_for(self._acks.get(), settle_s if latest else 10.0)
            except TimeoutError:
                return latest
            if ack.get("rec") != rec_id:
                continue
            latest = ack
            if ack.get("complete") or ack.get("error"):
                return ack

    async def _upload_loop(self, client: aiomqtt.Client, until: float) -> None:
        loop = asyncio.get_running_loop()
        if self._upload_under_way is None:
            await _nap(self._upload_wait, until)
        while loop.time() < until or self._upload_under_way is not None:
            if await self._upload(client, until):
                self.sent.recordings += 1
            self._upload_wait = self.plan.upload_every_s
            await _nap(self.plan.upload_every_s, until)

    async def _upload(self, client: aiomqtt.Client, until: float) -> bool:
        """One recording (the one under way when the link dropped, or a new one), resent round
        by round from the fleet's acks until complete."""
        if self._upload_under_way is None:
            rec_id = f"r-{self._recs:06d}-{self.boot:08x}"
            self._recs += 1
            self._upload_under_way = (rec_id, random.randbytes(self.plan.upload_bytes))
        rec_id, data = self._upload_under_way
        manifest = encode_json(manifest_for(data, CHUNK))
        chunks = chunk_messages(data, CHUNK)
        todo = list(range(len(chunks)))
        rec_topic = topic(self.device_id, Channel.REC_CHUNK, rec_id)
        loop = asyncio.get_running_loop()
        while loop.time() < until + 30:  # an upload under way may finish after the run
            await client.publish(topic(self.device_id, Channel.REC_MANIFEST, rec_id), manifest,
                                 qos=1)  # fmt: skip
            self.sent.counts["manifest"] += 1
            for i in todo:
                await client.publish(rec_topic, chunks[i], qos=1)
                self.sent.counts["chunk"] += 1
            latest = await self._settled_ack(rec_id)
            if latest is None:
                continue  # no answer: announce again
            if latest.get("complete") or latest.get("error"):
                self._upload_under_way = None
                return bool(latest.get("complete"))
            todo = missing(len(chunks), latest.get("ranges", []))  # type: ignore[arg-type]
        self._upload_under_way = None
        self.sent.counts["upload_abandoned"] += 1
        return False


async def run_devices(plan: LoadPlan, devices: list[tuple[str, str]]) -> Sent:
    """Run ``devices`` of ``plan`` in this process for ``plan.duration_s``; what they sent."""
    until = asyncio.get_running_loop().time() + plan.duration_s
    rng = random.Random(7)
    sims = [LoadDevice(plan, d, kind, kind == "badge" and rng.random() < plan.upload_share)
            for d, kind in devices]  # fmt: skip
    await asyncio.gather(*(s.run(until) for s in sims))
    total = Sent()
    for s in sims:
        total.add(s.sent)
    return total


def _worker(plan: LoadPlan, devices: list[tuple[str, str]], out: Any, nice: int) -> None:
    if nice:
        os.nice(nice)
    out.put(asyncio.run(run_devices(plan, devices)))


def run_load(plan: LoadPlan, procs: int = 1, nice: int = 0) -> Sent:
    """Every device of ``plan``, split over ``procs`` processes (each ``nice``-d by that much:
    on one machine, the devices then take the CPU the system under test leaves); what they
    sent in all."""
    devices = plan.device_ids()
    if procs <= 1 and not nice:
        return asyncio.run(run_devices(plan, devices))
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[Sent] = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(plan, devices[i::procs], out, nice))
               for i in range(max(1, procs))]  # fmt: skip
    for w in workers:
        w.start()
    total = Sent()
    for _ in workers:
        total.add(out.get())
    for w in workers:
        w.join()
    return total


async def register_all(db_url: str, devices: list[tuple[str, str]]) -> None:
    """Register ``devices`` in the fleet database at ``db_url`` (those there are kept)."""
    from fleet.db import close_db, open_db
    from fleet.devices.models import Device
    from fleet.devices.registry import DeviceSpec, register

    await open_db(db_url)
    try:
        rows: list[Any] = await Device.all().values_list("id", flat=True)
        known = {str(r) for r in rows}
        for device_id, kind in devices:
            if device_id not in known:
                await register(DeviceSpec(device_id, kind))
    finally:
        await close_db()


def summary(plan: LoadPlan, sent: Sent) -> str:
    """One line per kind of message sent, for people."""
    lines = [f"{plan.badges} badges and {plan.kiosks} kiosks for {plan.duration_s:g} s "
             f"({'TLS' if plan.tls_dir else 'plain TCP'} to {plan.host}:{plan.port}):"]  # fmt: skip
    for kind in sorted(sent.counts):
        lines.append(f"  {kind:<9} {sent.counts[kind]:>9}")
    lines.append(f"  recordings acknowledged complete: {sent.recordings}")
    if sent.connect_errors:
        lines.append(f"  connection errors: {sent.connect_errors}")
    return "\n".join(lines)
