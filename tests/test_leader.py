"""The leader lease behind the singleton jobs (fleet/leases/leader.py), on SQLite and
PostgreSQL: one holder at a time, taken over once a dead holder's lease expires, given up at
once on an orderly stop, and a singleton job runs only while its instance leads."""

import asyncio

import pytest

from fleet.housekeeping import _every
from fleet.leases.leader import Leader
from fleet.leases.models import JobLease
from tests.conftest import eventually


async def test_one_leader_and_takeover_after_expiry(fleet_db: str) -> None:
    a, b = Leader("fleet-a", ttl_s=1.0, renew_s=0.2), Leader("fleet-b", ttl_s=1.0, renew_s=0.2)
    assert await a.try_once() and a.held
    assert not await b.try_once() and not b.held
    assert await a.try_once()  # renewed
    # a dies (no more renewals, no release): b takes over once a's lease has expired
    assert not await b.try_once()
    await asyncio.sleep(1.2)
    assert await b.try_once() and b.held
    assert not await a.try_once() and not a.held  # a, back from a hang, follows
    assert (await JobLease.get(name="leader")).holder == "fleet-b"


async def test_an_orderly_stop_hands_over_at_once(fleet_db: str) -> None:
    a, b = Leader("fleet-a", ttl_s=60.0, renew_s=0.2), Leader("fleet-b", ttl_s=60.0, renew_s=0.2)
    running = asyncio.create_task(a.run())
    await eventually(lambda: a.held)
    assert not await b.try_once()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert not a.held and await b.try_once()  # not 60 s later


async def test_a_singleton_job_runs_only_while_leading(fleet_db: str) -> None:
    other = Leader("fleet-b", ttl_s=1.0, renew_s=0.2)
    assert await other.try_once()
    mine = Leader("fleet-a", ttl_s=1.0, renew_s=0.2)
    runs: list[float] = []

    async def job() -> None:
        runs.append(asyncio.get_running_loop().time())

    tasks = [asyncio.create_task(mine.run()), asyncio.create_task(_every(0.1, job, "job", mine))]
    try:
        for _ in range(5):  # the other instance leads: nothing runs here
            assert await other.try_once()
            await asyncio.sleep(0.2)
        assert runs == [] and not mine.held
        # the other instance is gone: this one leads within the lease's expiry, and runs
        await eventually(lambda: len(runs) >= 3)
        assert mine.held
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def test_renewal_must_come_before_expiry() -> None:
    with pytest.raises(ValueError, match="below ttl_s"):
        Leader("fleet-a", ttl_s=3.0, renew_s=3.0)
