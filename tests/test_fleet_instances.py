"""Two fleet processes on one Mosquitto and one PostgreSQL, sharing the devices' messages
(``--share-group``), and one of them killed (SIGKILL) while devices send events and a badge
uploads a recording (issue 22). The other takes the singleton jobs (the leader lease), every
acknowledged event is stored exactly once once the killed instance is back (its persistent
session held what the broker had given it), the recording completes, and every device is
online again (one whose messages all went to the dead instance looked silent meanwhile).
What was missing while it was down is printed: the answer to "does Mosquitto lose
a shared subscription's QoS 1 message when its subscriber dies" here.
"""

import asyncio
import random
import time
from pathlib import Path

import aiohttp
import aiomqtt
import asyncpg
import pytest

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_event, encode_status_online
from crmsensor.protocol.messages import LAST_WILL_PAYLOAD
from devtools.broker import MosquittoProcess
from devtools.sim.uploader import upload
from tests.conftest import FleetProcess, eventually

pytestmark = pytest.mark.parametrize(
    "fleet_db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

SENDERS = [f"badge-{i:04d}" for i in range(1101, 1109)]
UPLOADER = "badge-1199"
EVERY_S = 0.1  # one event per sender every 0.1 s: 80 a second in all


class Sender:
    """A device sending QoS 1 events with its boot id, counting those the broker acknowledged."""

    def __init__(self, device_id: str, port: int) -> None:
        self.device_id, self.port = device_id, port
        self.boot = random.getrandbits(32)
        self.acked = 0

    async def run(self, stop: asyncio.Event) -> None:
        will = aiomqtt.Will(topic(self.device_id, Channel.STATUS), LAST_WILL_PAYLOAD, 1, True)
        async with aiomqtt.Client("127.0.0.1", self.port, identifier=self.device_id, will=will,
                                  keepalive=10) as client:  # fmt: skip
            online = encode_status_online("badge", "0.1.0", "badge-r1", self.boot, 10)
            await client.publish(topic(self.device_id, Channel.STATUS), online, 1, retain=True)
            while not stop.is_set():
                kind = "worn" if self.acked % 2 == 0 else "unworn"
                payload = encode_event(self.acked, kind, None, {"session": "w-1"}, self.boot)
                await client.publish(topic(self.device_id, Channel.EVT), payload, qos=1)
                self.acked += 1  # publish returned: the broker has it (PUBACK)
                await asyncio.sleep(EVERY_S)


async def leader(db: asyncpg.Connection) -> str | None:
    return await db.fetchval("SELECT holder FROM job_lease WHERE name = 'leader'")


async def stored(db: asyncpg.Connection) -> tuple[int, int]:
    """Event rows of the senders, and distinct (device, boot, seq) among them."""
    row = await db.fetchrow(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT (device_id, boot, seq)) AS d FROM event"
        " WHERE device_id = ANY($1::text[]) AND type IN ('worn', 'unworn')",
        SENDERS,
    )
    return int(row["n"]), int(row["d"])


async def test_kill_one_of_two_instances(
    broker: MosquittoProcess, tmp_path: Path, fleet_db_url: str
) -> None:
    objects = tmp_path / "objects"
    fleets: dict[str, FleetProcess] = {}
    for name in ("fleet-a", "fleet-b"):
        work = tmp_path / name
        work.mkdir()
        config = work / "fleet.toml"
        config.write_text(f'client_id = "{name}"\nshare_group = "fleet"\n')
        fp = FleetProcess(work, broker.config.port, fleet_db_url, config)
        fp.env["CRMS_FLEET_OBJECTS_DIR"] = str(objects)  # one object store for both
        fleets[name] = fp
    a, b = fleets.values()
    await a.start()  # migrates the database, makes the admin
    b.auth = a.auth
    await b.start()
    db = await asyncpg.connect(fleet_db_url.replace("postgres://", "postgresql://", 1))
    stop = asyncio.Event()
    try:
        async with aiohttp.ClientSession(headers=a.auth) as http:
            for device_id in [*SENDERS, UPLOADER]:
                body = {"id": device_id, "kind": "badge"}
                async with http.post(a.url + "api/v1/devices", json=body) as r:
                    assert r.status == 201, await r.text()
        await eventually(lambda: leader(db))
        senders = [Sender(d, broker.config.port) for d in SENDERS]
        tasks = [asyncio.create_task(s.run(stop)) for s in senders]
        data = random.Random(22).randbytes(600_000)
        uploading = asyncio.create_task(
            upload("127.0.0.1", broker.config.port, UPLOADER, "r-000001-00c0ffee", data,
                   chunk_size=8192, timeout_s=120)
        )  # fmt: skip
        await eventually(lambda: _at_least(db, 100))  # both instances are storing

        holder = await leader(db)
        assert holder in fleets
        other = next(name for name in fleets if name != holder)
        victim = fleets[holder]
        killed_at = time.monotonic()
        victim.kill()
        # the other takes the singleton jobs once the dead leader's lease expires (10 s)
        await eventually(lambda: _holder_is(db, other), timeout=30)
        print(f"\nleader {holder} killed; the other led {time.monotonic() - killed_at:.1f} s later")
        await asyncio.sleep(3)  # devices go on sending to the survivor alone
        stop.set()
        await asyncio.gather(*tasks)
        acked = sum(s.acked for s in senders)
        await asyncio.sleep(2)
        # a sender whose messages the broker kept handing to the dead instance's session is
        # heard by nobody: after 1.5 x its keepalive the new leader calls it silent
        silent = await db.fetchval(
            "SELECT COUNT(*) FROM device WHERE id = ANY($1::text[]) AND NOT online", SENDERS
        )
        held, _ = await stored(db)
        print(
            f"events acknowledged by the broker: {acked}; stored while one instance was "
            f"dead: {held} ({acked - held} missing); senders called silent: {silent}"
        )

        await victim.start()  # as systemd restarts it: its session delivers what it held
        await eventually(lambda: _all_stored(db, acked), timeout=60)
        rows, distinct = await stored(db)
        assert rows == distinct == acked  # every acknowledged event, once
        # and what it held, delivered now, says the senders were alive: online again
        assert await db.fetchval(
            "SELECT COUNT(*) FROM device WHERE id = ANY($1::text[]) AND online", SENDERS
        ) == len(SENDERS)
        result = await uploading
        assert result.complete, result.errors
        size = await db.fetchval("SELECT size FROM recording WHERE device_id = $1", UPLOADER)
        assert size == len(data)
        assert await db.fetchval("SELECT COUNT(*) FROM upload") == 0  # nothing left half-done
    finally:
        stop.set()
        await db.close()
        for fp in fleets.values():
            fp.stop()


async def _at_least(db: asyncpg.Connection, n: int) -> bool:
    return (await stored(db))[0] >= n


async def _holder_is(db: asyncpg.Connection, name: str) -> bool:
    return await leader(db) == name


async def _all_stored(db: asyncpg.Connection, n: int) -> bool:
    return (await stored(db))[0] >= n
