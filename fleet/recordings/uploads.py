"""Recording uploads: resumable chunk assembly, verified, acknowledged only when durable.

A device sends a manifest and chunks (docs/protocol.md) in any order, any number of times.
Chunks are staged in the database (``upload_chunk``), so an acknowledged chunk survives a fleet
crash and any fleet instance can finish the recording: with several instances each receives
only some of a recording's chunks, and a manifest (the device sends it again each round) makes
the instance that gets it read what all of them staged. When every chunk is held the recording
is streamed into the object store, its sha256 checked against the manifest, and only then the
``recording`` row is written and the staging rows deleted, in one transaction. Acks are sent
after the transaction that made their chunks durable has committed.

Storing a complete recording runs beside ingest (:meth:`Uploads.finish_soon`), a few at a
time, so a slow object store delays only the recordings' final acks, never the other
messages' batches. A finish that fails or is cut short by a stop leaves the upload staged:
the device's next round (it sends the manifest again until acked complete) finishes it.
"""

import asyncio
import contextlib
import hashlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crmsensor.protocol import ChunkMessage, Manifest
from fleet.devices import registry
from fleet.ingest.batch import Reject
from fleet.recordings.models import Recording, Upload, UploadChunk
from fleet.recordings.objects import ObjectStore
from fleet.transaction import transaction

log = logging.getLogger("fleet.recordings")

_READ_BATCH = 128  # chunks read per query while assembling (1 MiB of 8 KiB chunks)
_STORED_CACHE = 10_000
_FINISHING_AT_ONCE = 4  # recordings streamed into the object store at the same time
_CLOSE_WAIT_S = 10.0  # on stop: how long finishes under way may run on


@dataclass
class UploadState:
    """What the fleet durably holds of one upload (mirrors the database after each commit)."""

    upload_id: int
    device_id: str
    rec_id: str
    manifest: dict[str, Any]
    received: set[int] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return len(self.received) == int(self.manifest["chunks"])


@dataclass
class AckOut:
    """An ack to publish once its batch has committed."""

    device_id: str
    rec_id: str
    ranges: list[tuple[int, int]]
    complete: bool
    error: str | None = None


def ranges_of(indexes: set[int]) -> list[tuple[int, int]]:
    """Sorted ``[start, end)`` ranges covering ``indexes``."""
    out: list[tuple[int, int]] = []
    for i in sorted(indexes):
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def chunk_problem(
    manifest: dict[str, Any], index: int, offset: int, length: int, last: bool
) -> str:
    """Why a chunk does not fit its manifest ('' when it fits)."""
    chunks, size, csize = manifest["chunks"], manifest["size"], manifest["chunk_size"]
    if index >= chunks:
        return f"chunk {index} of a recording with {chunks} chunks"
    if offset != index * csize:
        return f"chunk {index} claims offset {offset}, expected {index * csize}"
    want = min(csize, size - offset)
    if length != want:
        return f"chunk {index} has {length} bytes, expected {want}"
    if last != (index == chunks - 1):
        return f"chunk {index} has the wrong last-chunk flag"
    return ""


def manifest_problem(m: dict[str, Any]) -> str:
    """Why a manifest is inconsistent in itself ('' when it is not)."""
    expected = -(-m["size"] // m["chunk_size"])
    if m["chunks"] != expected:
        return (
            f"{m['chunks']} chunks for {m['size']} bytes of {m['chunk_size']}, expected {expected}"
        )
    return ""


def object_key(device_id: str, rec_id: str) -> str:
    """Where a recording is stored."""
    return f"recordings/{device_id}/{rec_id}.wav"


class Uploads:
    """Staging, assembly and acks of recording uploads (app state: ``fleet.state.UPLOADS``)."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self._uploads: dict[tuple[str, str], UploadState] = {}
        self._pending_new: list[UploadState] = []  # created in the current batch
        # Recordings stored lately, (device, rec) -> sha256: devices resend chunks and
        # manifests of uploads that just completed, and answering those needs no query.
        self._stored: OrderedDict[tuple[str, str], str] = OrderedDict()
        self.completed = 0
        self._finishing: set[tuple[str, str]] = set()
        self._finish_tasks: set[asyncio.Task[None]] = set()
        self._finish_slots: asyncio.Semaphore | None = None  # made on the running loop

    def finish_soon(self, state: UploadState, done: Callable[[AckOut], Awaitable[None]]) -> None:
        """Store the complete upload ``state`` beside ingest, then hand its ack to ``done``.
        An upload already being stored is not started twice (its first finish acks)."""
        key = (state.device_id, state.rec_id)
        if key in self._finishing:
            return
        self._finishing.add(key)
        task = asyncio.create_task(self._finish_in_turn(key, state, done))
        self._finish_tasks.add(task)
        task.add_done_callback(self._finish_tasks.discard)

    async def _finish_in_turn(
        self,
        key: tuple[str, str],
        state: UploadState,
        done: Callable[[AckOut], Awaitable[None]],
    ) -> None:
        if self._finish_slots is None:
            self._finish_slots = asyncio.Semaphore(_FINISHING_AT_ONCE)
        try:
            async with self._finish_slots:
                ack = await self.finish(state)
        except Exception:
            self._uploads.pop(key, None)  # read again from the database next round
            log.exception("recording %s/%s was not stored; the device's next round retries", *key)
            return
        finally:
            self._finishing.discard(key)
        await done(ack)

    async def settle(self) -> None:
        """Return once no recording is being stored."""
        while self._finish_tasks:
            await asyncio.wait(set(self._finish_tasks))

    async def close(self) -> None:
        """On stop: let finishes under way run for a while, then cut the rest short (their
        uploads stay staged for the device's next round)."""
        if self._finish_tasks:
            await asyncio.wait(set(self._finish_tasks), timeout=_CLOSE_WAIT_S)
        for task in list(self._finish_tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._finish_tasks, return_exceptions=True)

    async def _state(self, device_id: str, rec_id: str) -> UploadState | None:
        key = (device_id, rec_id)
        state = self._uploads.get(key)
        if state is None:
            row = await Upload.get_or_none(device_id=device_id, rec_id=rec_id)
            if row is None:
                return None
            indexes: list[Any] = await UploadChunk.filter(upload_id=row.id).values_list(
                "index", flat=True
            )
            state = UploadState(row.id, device_id, rec_id, row.manifest, {int(i) for i in indexes})
            self._uploads[key] = state
        return state

    async def stage(
        self,
        manifests: list[tuple[str, Manifest]],
        chunks: list[tuple[str, ChunkMessage]],
        reject: Reject,
        ignored: Callable[[str], None],
    ) -> tuple[list[UploadChunk], dict[tuple[str, str], set[int]], list[AckOut]]:
        """Inside the batch's transaction: record manifests, pick the new chunks to insert.

        Returns the chunk rows to insert, the indexes they add per upload (applied to the
        in-memory state by :meth:`committed`), and acks for recordings already complete.
        """
        rows: list[UploadChunk] = []
        adding: dict[tuple[str, str], set[int]] = {}
        early: list[AckOut] = []
        for topic, m in manifests:
            problem = manifest_problem(m.fields)
            if problem:
                reject(topic, "schema", problem)
                continue
            if await self._already_stored(m.device_id, m.recording_id, m.fields["sha256"], early):
                continue
            state = await self._state(m.device_id, m.recording_id)
            if state is None:
                row = await Upload.create(
                    device_id=m.device_id, rec_id=m.recording_id, manifest=m.fields
                )
                self._pending_new.append(UploadState(row.id, m.device_id, m.recording_id, m.fields))
                adding.setdefault((m.device_id, m.recording_id), set())
            elif state.manifest != m.fields:
                reject(topic, "manifest_conflict", f"{m.recording_id} is already being received")
            else:
                if not state.complete:  # another instance may have staged chunks this one
                    await self._refresh(state)  # has not seen (a shared subscription)
                adding.setdefault((m.device_id, m.recording_id), set())
        for topic, c in chunks:
            key = (c.device_id, c.recording_id)
            state = self._pending(key) or self._uploads.get(key)
            if state is None and key in self._stored:
                ignored("duplicate_chunk")  # a resend after the recording was stored
                continue
            state = state or await self._state(*key)
            if state is None:
                if await self._already_stored(c.device_id, c.recording_id, None, early):
                    ignored("duplicate_chunk")
                else:
                    reject(topic, "no_manifest", f"{c.recording_id}: chunk before its manifest")
                continue
            ch = c.chunk
            problem = chunk_problem(state.manifest, ch.index, ch.offset, len(ch.data), ch.last)
            if problem:
                reject(topic, "bad_chunk", problem)
                continue
            pending = adding.setdefault(key, set())
            if ch.index in state.received or ch.index in pending:
                ignored("duplicate_chunk")
                continue
            pending.add(ch.index)
            rows.append(UploadChunk(upload_id=state.upload_id, index=ch.index, data=ch.data))
        return rows, adding, early

    async def _refresh(self, state: UploadState) -> None:
        """Take the chunks staged by any instance into ``state`` (the database is the truth;
        a device's next manifest round is when the fleet looks again)."""
        staged: list[Any] = await UploadChunk.filter(upload_id=state.upload_id).values_list(
            "index", flat=True
        )
        state.received |= {int(i) for i in staged}

    def _pending(self, key: tuple[str, str]) -> UploadState | None:
        for s in self._pending_new:
            if (s.device_id, s.rec_id) == key:
                return s
        return None

    def rollback(self) -> None:
        """The batch's transaction failed: forget what it would have added."""
        self._pending_new = []

    def committed(self, adding: dict[tuple[str, str], set[int]]) -> list[UploadState]:
        """The batch committed: apply it; return the uploads it touched."""
        for s in self._pending_new:
            self._uploads[(s.device_id, s.rec_id)] = s
        self._pending_new = []
        touched = []
        for key, indexes in adding.items():
            state = self._uploads.get(key)
            if state is not None:
                state.received |= indexes
                touched.append(state)
        return touched

    def _remember(self, device_id: str, rec_id: str, sha256: str) -> None:
        self._stored[(device_id, rec_id)] = sha256
        self._stored.move_to_end((device_id, rec_id))
        while len(self._stored) > _STORED_CACHE:
            self._stored.popitem(last=False)

    def forget(self, device_id: str, rec_id: str) -> None:
        """The recording was deleted (retention): a new upload under its id is new."""
        self._stored.pop((device_id, rec_id), None)

    async def _already_stored(
        self, device_id: str, rec_id: str, sha256: str | None, acks: list[AckOut]
    ) -> bool:
        stored = self._stored.get((device_id, rec_id))
        if stored is None:
            rec = await Recording.get_or_none(device_id=device_id, rec_id=rec_id)
            if rec is None:
                return False
            stored = rec.sha256
            self._remember(device_id, rec_id, stored)
        if sha256 is not None and stored != sha256:
            acks.append(AckOut(device_id, rec_id, [], False, "rec_id_taken"))
        else:
            acks.append(AckOut(device_id, rec_id, [], True))
        return True

    async def finish(self, state: UploadState) -> AckOut:
        """All chunks are held: store the object, verify it, write the recording row."""
        m = state.manifest
        if not await Upload.exists(id=state.upload_id):
            # finished (or dropped) since this state was read: by an earlier finish of ours
            # that a later batch's stage() overlapped, or by another instance
            self._uploads.pop((state.device_id, state.rec_id), None)
            acks: list[AckOut] = []
            if await self._already_stored(state.device_id, state.rec_id, m["sha256"], acks):
                return acks[0]
            return AckOut(state.device_id, state.rec_id, [], False)  # start again
        key = object_key(state.device_id, state.rec_id)
        digest = hashlib.sha256()

        async def parts() -> AsyncIterator[bytes]:
            for start in range(0, m["chunks"], _READ_BATCH):
                batch: list[Any] = (
                    await UploadChunk.filter(
                        upload_id=state.upload_id, index__gte=start, index__lt=start + _READ_BATCH
                    )
                    .order_by("index")
                    .values_list("data", flat=True)
                )
                for raw in batch:
                    data = bytes(raw)
                    digest.update(data)
                    yield data

        size = await self.store.put(key, parts())
        self._uploads.pop((state.device_id, state.rec_id), None)
        if size != m["size"] or digest.hexdigest() != m["sha256"]:
            await self.store.delete(key)
            await _drop_upload(state.upload_id)
            log.warning(
                "recording %s/%s failed verification (%d bytes, sha256 %s; manifest %d, %s)",
                state.device_id,
                state.rec_id,
                size,
                digest.hexdigest(),
                m["size"],
                m["sha256"],
            )
            return AckOut(state.device_id, state.rec_id, [], False, "sha256_mismatch")
        station_id = await registry.station_of(state.device_id)
        start = m.get("start_ts")
        async with transaction():
            if not await Recording.exists(device_id=state.device_id, rec_id=state.rec_id):
                await Recording.create(
                    device_id=state.device_id,
                    station_id=station_id,
                    rec_id=state.rec_id,
                    start=datetime.fromtimestamp(start, UTC) if start is not None else None,
                    duration_ms=m["duration_ms"],
                    codec=m["codec"],
                    rate=m["rate"],
                    size=m["size"],
                    sha256=m["sha256"],
                    object_key=key,
                    worn_session=m.get("worn_session"),
                    kiosk_session=m.get("kiosk_session"),
                    preroll_session=m.get("preroll_session"),
                    preroll_ms=m.get("preroll_ms"),
                )
            await _drop_upload(state.upload_id)
            await registry.note_recording(state.device_id, datetime.now(UTC))
        self._remember(state.device_id, state.rec_id, m["sha256"])
        self.completed += 1
        return AckOut(state.device_id, state.rec_id, ranges_of(state.received), True)


async def _drop_upload(upload_id: int) -> None:
    await UploadChunk.filter(upload_id=upload_id).delete()
    await Upload.filter(id=upload_id).delete()
