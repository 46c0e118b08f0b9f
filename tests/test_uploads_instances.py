"""A recording whose chunks reach two fleet instances (a shared subscription hands each some
of them), on SQLite and PostgreSQL (issue 22): neither holds them all in memory, and the
device's next manifest makes the instance that gets it read what both staged, finish the
recording and acknowledge it complete; a copy of the manifest at the other instance after
that is answered complete too."""

import json
from datetime import UTC, datetime
from pathlib import Path

from tortoise.transactions import in_transaction

from crmsensor.protocol import Channel, decode, parse_topic, topic
from crmsensor.protocol.schema import encode_json
from devtools.sim.uploader import chunk_messages, manifest_for
from fleet.devices.registry import DeviceSpec, register
from fleet.ingest.batch import Batch, Received
from fleet.ingest.downlink import Downlink
from fleet.recordings.ingest_handler import UploadHandler
from fleet.recordings.models import Recording, UploadChunk
from fleet.recordings.objects import LocalObjectStore
from fleet.recordings.uploads import Uploads

BADGE, REC = "badge-0901", "r-000001-0000beef"


class Instance:
    def __init__(self, objects: Path) -> None:
        self.uploads = Uploads(LocalObjectStore(objects))
        self.downlink = Downlink()
        self.handler = UploadHandler(self.uploads, self.downlink)

    async def receive(self, channel: Channel, payloads: list[bytes]) -> list[dict]:
        """Store ``payloads`` as one batch; the acks it sends."""
        name = topic(BADGE, channel, REC)
        at = datetime.now(UTC)
        items = [Received(decode(parse_topic(name), p), at, name) for p in payloads]
        batch = Batch(reject=lambda *a: None, ignore=lambda what: None)
        async with in_transaction():
            await self.handler.store(items, batch)
        for after in batch.after_commit:
            await after()
        await self.uploads.settle()  # a complete recording is stored beside ingest
        return [json.loads(p) for _, p in self.downlink.drain()]


async def test_two_instances_finish_one_recording(fleet_db: str, tmp_path: Path) -> None:
    await register(DeviceSpec(BADGE, "badge"))
    data = bytes(range(256)) * 200  # 51,200 bytes: 7 chunks of 8 KiB
    manifest = encode_json(manifest_for(data, 8192))
    chunks = chunk_messages(data, 8192)
    a, b = Instance(tmp_path / "objects"), Instance(tmp_path / "objects")

    (ack,) = await a.receive(Channel.REC_MANIFEST, [manifest])
    assert ack["complete"] is False
    # the broker hands the chunks out in turn: a gets the even ones, b the odd ones
    acks = []
    for i, chunk in enumerate(chunks):
        acks += await (a if i % 2 == 0 else b).receive(Channel.REC_CHUNK, [chunk])
    assert not any(x["complete"] for x in acks)  # each knows only part of it
    assert await UploadChunk.all().count() == len(chunks)  # all staged, all durable

    # the device's next round: its manifest reaches b, which reads what a staged, and ends it
    (ack,) = await b.receive(Channel.REC_MANIFEST, [manifest])
    assert ack["complete"] is True
    rec = await Recording.get(device_id=BADGE, rec_id=REC)
    assert rec.size == len(data) and await UploadChunk.all().count() == 0
    # a copy of the manifest at a, whose memory still has the upload: complete, not redone
    (ack,) = await a.receive(Channel.REC_MANIFEST, [manifest])
    assert ack["complete"] is True and await Recording.all().count() == 1
