"""A transaction whose BEGIN fails (the server dropped the connection) gives its connection
back and leaves the task as it was (fleet/transaction.py), on SQLite and PostgreSQL: the next
transaction of the same task is a real one, not a savepoint on the dead connection, and the
pool never runs dry. Without it, a PostgreSQL restart stopped the fleet's ingest for good."""

import asyncio
from typing import Any

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from fleet.devices.models import Device
from fleet.devices.registry import DeviceSpec, register
from fleet.transaction import transaction


async def test_a_failed_begin_leaves_nothing_behind(
    fleet_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe: Any = in_transaction()
    wrapper = type(getattr(probe, "client", None) or probe.connection)
    real_begin = wrapper.begin
    failures = 0

    async def begin_fails(self: Any) -> None:
        nonlocal failures
        failures += 1
        raise ConnectionResetError("the server closed the connection")

    monkeypatch.setattr(wrapper, "begin", begin_fails)
    base = connections.get(probe.connection_name)
    for _ in range(12):  # more than the pool holds
        with pytest.raises(ConnectionResetError):
            async with transaction():
                pass
        assert connections.get(probe.connection_name) is base  # not left "in a transaction"
    assert failures == 12
    monkeypatch.setattr(wrapper, "begin", real_begin)

    async def store() -> None:
        async with transaction():
            await register(DeviceSpec("badge-0901", "badge"))

    await asyncio.wait_for(store(), 10)  # a dry pool would wait here for ever
    assert await Device.filter(id="badge-0901").count() == 1
    # and a body that fails rolls back, as in_transaction() does
    with pytest.raises(RuntimeError):
        async with transaction():
            await register(DeviceSpec("badge-0902", "badge"))
            raise RuntimeError("stop")
    assert await Device.filter(id="badge-0902").count() == 0
