"""Enhanced copies of recordings: the beamformer's postfilter, run by the fleet after ingest.

Two microphones 17.5 mm apart give about 6 dB of directivity in the speech band, which is not
enough for speech recognition in a station's noise (docs/operations.md, "Word error rate").
The spectral postfilter (beamforming/postfilter.py) closes most of the gap, but its FFTs do not
fit the badge's real-time budget, so the fleet runs it once a recording is whole:

- the original stays exactly as uploaded (its sha256 is the manifest's); the enhanced copy is a
  16-bit PCM WAV next to it, ``<key>.enhanced.wav``, served by
  ``GET /api/v1/recordings/{id}/enhanced``;
- a recording is pending while ``enhanced_key`` and ``enhance_error`` are both empty, so the
  work survives a restart: the periodic job (fleet/housekeeping.py) picks up whatever is
  pending, oldest first;
- a recording that cannot be decoded gets ``enhance_error`` (the reason), is logged and is not
  retried; it is never deleted or changed.

The suppressor also lowers a quiet customer's voice (about 2 dB more than the beamformer
alone on the reference scene), which is why the original is the copy to listen to and the
enhanced one the copy to transcribe.
"""

import asyncio
import logging
from collections.abc import AsyncIterator

import numpy as np

from beamforming.postfilter import enhance_pcm16
from crmsensor.protocol import wavfile
from fleet.recordings.models import Recording
from fleet.recordings.objects import ObjectStore

log = logging.getLogger("fleet.enhance")

SUFFIX = ".enhanced.wav"
_BATCH = 8  # recordings per run of the job


def enhanced_key(object_key: str) -> str:
    """Where a recording's enhanced copy is stored."""
    stem = object_key[:-4] if object_key.endswith(".wav") else object_key
    return stem + SUFFIX


def enhance_wav(data: bytes, floor_db: float = -10.0) -> bytes:
    """A badge recording (either codec) in, its noise-suppressed 16-bit PCM WAV out.
    Raises :class:`wavfile.WavError` naming what is wrong with the input."""
    pcm = wavfile.read(data)
    y = enhance_pcm16(np.frombuffer(pcm.samples, "<i2"), pcm.rate, floor_db)
    return wavfile.pcm16_wav(pcm.rate, y.astype("<i2").tobytes())


async def _read_all(store: ObjectStore, key: str, size: int) -> bytes:
    return b"".join([part async for part in store.read(key, 0, size)])


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def enhance_pending(store: ObjectStore, floor_db: float = -10.0) -> int:
    """Make the enhanced copy of up to a batch of pending recordings; return how many were
    handled (made or marked as failed). The suppressor runs in a worker thread."""
    pending = (
        await Recording.filter(enhanced_key=None, enhance_error=None).order_by("id").limit(_BATCH)
    )
    for rec in pending:
        size = await store.size(rec.object_key)
        if size is None:
            await _fail(rec, "the original is missing from the object store")
            continue
        data = await _read_all(store, rec.object_key, size)
        try:
            out = await asyncio.to_thread(enhance_wav, data, floor_db)
        except wavfile.WavError as exc:
            await _fail(rec, str(exc))
            continue
        key = enhanced_key(rec.object_key)
        await store.put(key, _once(out))
        updated = await Recording.filter(id=rec.id).update(enhanced_key=key)
        if not updated:  # expired meanwhile: do not leave an orphan
            await store.delete(key)
    return len(pending)


async def _fail(rec: Recording, reason: str) -> None:
    log.warning("recording %s/%s not enhanced: %s", rec.device_id, rec.rec_id, reason)  # type: ignore[attr-defined]
    await Recording.filter(id=rec.id).update(enhance_error=reason[:200])
