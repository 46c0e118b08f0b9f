"""How ingest stores recording uploads: manifests and chunks are staged inside the batch's
transaction; acks go to devices only after it committed, and a complete recording is stored
in the object store beside ingest, acked when it is (``fleet/recordings/uploads.py``)."""

from collections.abc import Sequence

from crmsensor.protocol import ChunkMessage, Manifest, Message, topic
from crmsensor.protocol.messages import encode_ack
from crmsensor.protocol.topics import Channel
from fleet.ingest.batch import Batch, Received
from fleet.ingest.downlink import Downlink
from fleet.recordings.models import UploadChunk
from fleet.recordings.uploads import AckOut, Uploads, ranges_of


class UploadHandler:
    """Entry of ingest's handler table for ``rec/<id>/manifest`` and ``rec/<id>/chunk``."""

    kinds: tuple[type[Message], ...] = (Manifest, ChunkMessage)

    def __init__(self, uploads: Uploads, downlink: Downlink) -> None:
        self.uploads = uploads
        self.downlink = downlink

    async def store(self, items: Sequence[Received], batch: Batch) -> None:
        manifests, chunks = [], []
        for item in items:
            if isinstance(item.message, Manifest):
                manifests.append((item.topic, item.message))
            elif isinstance(item.message, ChunkMessage):
                chunks.append((item.topic, item.message))
        rows, adding, acks = await self.uploads.stage(manifests, chunks, batch.reject, batch.ignore)
        if rows:
            await UploadChunk.bulk_create(rows)
        batch.after_rollback.append(self.uploads.rollback)

        reject = batch.reject

        async def send(a: AckOut) -> None:
            if a.error:
                where = topic(a.device_id, Channel.REC_MANIFEST, a.rec_id)
                reject(where, a.error, "the upload's answer")
            payload = encode_ack(a.rec_id, a.ranges, a.complete, a.error)
            await self.downlink.send(topic(a.device_id, Channel.ACK), payload)

        async def send_acks() -> None:
            for state in self.uploads.committed(adding):
                if state.complete:  # stored beside ingest; acked when done
                    self.uploads.finish_soon(state, send)
                else:
                    ranges = ranges_of(state.received)
                    acks.append(AckOut(state.device_id, state.rec_id, ranges, False))
            for a in acks:
                await send(a)

        batch.after_commit.append(send_acks)
