"""Faults under load (issue 22), each with simulated devices (devtools/sim/fleet_load.py)
sending QoS 1 events, telemetry and recordings to a real fleet through a real Mosquitto:

- the broker restarts (its persistent sessions on disk);
- every PostgreSQL connection of the fleet is dropped, twice;
- the fleet is partitioned from the broker (silence, not a reset) but not from its database;
- the object store is slow.

Each time: every event the broker acknowledged is stored exactly once, every recording
completes, no upload is left half-done, and the fleet is back to normal (link up, leading).
A device whose link drops sends its unacknowledged event again with the same seq, as the
firmware does; the fleet's (device, boot, seq) key keeps the copy out.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest

from devtools.broker import MosquittoProcess
from devtools.faults import FaultProxy
from devtools.sim import fleet_load
from fleet.devices.models import Device, Event
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording, Upload
from fleet.settings import S3Settings
from fleet.state import LEADER, LINK, UPLOADS
from tests.conftest import SQLITE_ONLY, RunningFleet, _fleet_settings, eventually, running_fleet

PLAN = fleet_load.LoadPlan(
    badges=6, kiosks=2, duration_s=9.0, tele_s=1.0, evt_s=0.1, upload_share=0.34,
    upload_every_s=2.0, upload_bytes=120_000, prefix="x",
)  # fmt: skip


async def _register(plan: fleet_load.LoadPlan) -> None:
    for device_id, kind in plan.device_ids():
        await register(DeviceSpec(device_id, kind))


async def _under_load(
    plan: fleet_load.LoadPlan, fault: Callable[[], Awaitable[None]], after_s: float = 2.5
) -> fleet_load.Sent:
    """Run the devices of ``plan``; ``fault()`` after ``after_s``; what they sent."""
    devices = asyncio.create_task(fleet_load.run_devices(plan, plan.device_ids()))
    await asyncio.sleep(after_s)
    await fault()
    return await devices


async def _everything_kept(plan: fleet_load.LoadPlan, sent: fleet_load.Sent) -> None:
    """Every acknowledged event once, every recording complete, no upload left."""
    assert sent.counts["upload_abandoned"] == 0
    assert sent.counts["evt_unacked"] == 0  # the fleet itself acknowledged every event
    assert sent.recordings >= 1

    async def all_there() -> bool:
        return await Event.filter(device_id__startswith=plan.prefix).count() >= sent.counts["evt"]

    await eventually(all_there, timeout=60)
    rows = await Event.filter(device_id__startswith=plan.prefix).values_list(
        "device_id", "boot", "seq"
    )
    assert len(rows) == len(set(rows)) == sent.counts["evt"]  # each acknowledged event, once
    assert await Recording.filter(device_id__startswith=plan.prefix).count() == sent.recordings

    async def no_upload_left() -> bool:
        return await Upload.filter(device_id__startswith=plan.prefix).count() == 0

    await eventually(no_upload_left)


@SQLITE_ONLY
async def test_broker_restart_under_load(fleet: RunningFleet, broker: MosquittoProcess) -> None:
    await _register(PLAN)
    plan = replace(PLAN, port=broker.config.port)

    async def restart() -> None:
        broker.stop()  # writes its sessions and queues to disk
        await asyncio.sleep(1.5)
        broker.start()

    sent = await _under_load(plan, restart)
    assert sent.connect_errors >= len(plan.device_ids())  # every device saw it
    await _everything_kept(plan, sent)
    assert fleet.app[LINK].losses >= 1 and fleet.app[LINK].connected.is_set()


@pytest.mark.parametrize(
    "fleet_db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_database_connections_dropped(
    fleet: RunningFleet, broker: MosquittoProcess, fleet_db_url: str
) -> None:
    await _register(PLAN)
    plan = replace(PLAN, port=broker.config.port)
    admin = await asyncpg.connect(fleet_db_url.replace("postgres://", "postgresql://", 1))
    dropped = 0

    async def drop_all() -> None:
        nonlocal dropped
        for _ in range(2):  # what a PostgreSQL restart does to the fleet's connections
            dropped += await admin.fetchval(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            await asyncio.sleep(2.0)

    try:
        sent = await _under_load(plan, drop_all)
    finally:
        await admin.close()
    assert dropped >= 1
    await _everything_kept(plan, sent)
    leader = fleet.app[LEADER]
    await eventually(lambda: leader.held, timeout=20)  # leading again once it could renew


@SQLITE_ONLY
async def test_partition_from_the_broker(
    broker: MosquittoProcess, tmp_path: Path, fleet_db_url: str
) -> None:
    async with FaultProxy("127.0.0.1", broker.config.port) as proxy:
        settings = _fleet_settings(broker, tmp_path, fleet_db_url, broker_keepalive_s=2)
        async with running_fleet(replace(settings, broker_port=proxy.port)) as fleet:
            await _register(PLAN)
            plan = replace(PLAN, port=broker.config.port)

            async def partition() -> None:
                proxy.set_mode("blackhole")  # silence both ways; no reset
                await asyncio.sleep(5.0)  # > 1.5 x the fleet's keepalive: it notices
                proxy.set_mode("pass")

            sent = await _under_load(plan, partition)
            link = fleet.app[LINK]
            assert link.losses >= 1  # noticed by its own keepalive
            await _everything_kept(plan, sent)
            assert link.connected.is_set()
            # nobody was called silent: the devices kept sending to the broker, which held it
            ids = [d for d, _ in plan.device_ids()]
            assert await Device.filter(id__in=ids, online=True).count() == len(ids)


@SQLITE_ONLY
async def test_slow_object_store(
    broker: MosquittoProcess, tmp_path: Path, fleet_db_url: str, s3_settings: S3Settings
) -> None:
    host_port = s3_settings.endpoint_url.removeprefix("http://")
    host, port = host_port.split(":")
    async with FaultProxy(host, int(port)) as proxy:
        proxy.set_mode("delay", 0.3)  # every read of the store's traffic waits 0.3 s
        s3 = replace(s3_settings, endpoint_url=f"http://127.0.0.1:{proxy.port}")
        settings = _fleet_settings(broker, tmp_path, fleet_db_url, s3=s3)
        async with running_fleet(settings) as fleet:
            await _register(PLAN)
            plan = replace(PLAN, port=broker.config.port, upload_share=0.5)
            uploads, stats = fleet.app[UPLOADS], fleet.ingest.stats
            overlapped = 0  # ingest batches written while a recording was being stored

            async def watch() -> None:
                nonlocal overlapped
                while True:
                    if uploads._finish_tasks:
                        before = stats.batches
                        await asyncio.sleep(0.1)
                        if uploads._finish_tasks:
                            overlapped += stats.batches - before
                    else:
                        await asyncio.sleep(0.02)

            watcher = asyncio.create_task(watch())
            try:
                sent = await _under_load(plan, lambda: asyncio.sleep(0), after_s=0)
            finally:
                watcher.cancel()
            await _everything_kept(plan, sent)
            # the slow store held up only the recordings' final acks, not everyone's batches
            assert overlapped >= 3, overlapped
