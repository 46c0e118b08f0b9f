"""The fleet's enhanced copies of recordings (fleet/recordings/enhance.py): the suppressor on known
signals, the pending queue in the database (made once, bad originals marked and kept), and the
copy through a running fleet after a real upload over Mosquitto."""

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import numpy as np

from beamforming.postfilter import Suppressor
from crmsensor.protocol import wavfile
from devtools.broker import MosquittoProcess
from devtools.sim.uploader import upload
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings import enhance
from fleet.recordings.models import Recording
from fleet.recordings.objects import LocalObjectStore
from fleet.recordings.retention import expire_recordings
from tests.conftest import RunningFleet, eventually

FS = 16000


def _noisy_bursts(fs: int = FS, seconds: float = 8.0, seed: int = 3) -> np.ndarray:
    """Steady noise, with a 1 kHz tone 25 dB above it in 4-6 s."""
    rng = np.random.default_rng(seed)
    n = int(seconds * fs)
    t = np.arange(n) / fs
    on = (t >= 4) & (t < 6)
    x = 100 * rng.standard_normal(n) + on * 100 * 10 ** (25 / 20) * np.sqrt(2) * np.sin(
        2 * np.pi * 1000 * t
    )
    return np.round(x).astype("<i2")


def _db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.asarray(x, float) ** 2)))


def test_enhanced_copy_lowers_steady_noise_and_keeps_the_tone() -> None:
    x = _noisy_bursts()
    out = wavfile.read(enhance.enhance_wav(wavfile.ima_adpcm_wav(FS, x.tobytes())))
    y = np.frombuffer(out.samples, "<i2")
    assert out.rate == FS and len(y) == len(x)
    quiet = np.zeros(len(x), bool)
    quiet[int(2.0 * FS) : int(3.8 * FS)] = True  # noise only, after the estimate has settled
    assert _db(x[quiet]) - _db(y[quiet]) > 7  # gain floor -10 dB
    tone = np.zeros(len(x), bool)
    tone[int(4.2 * FS) : int(5.8 * FS)] = True
    assert abs(_db(x[tone]) - _db(y[tone])) < 1.0


def test_8khz_recordings_get_the_same_frame_in_time() -> None:
    s = Suppressor.for_rate(8000)
    assert (s.n, s.hop) == (256, 64)
    x = _noisy_bursts(8000, 6.0)
    y = wavfile.read(enhance.enhance_wav(wavfile.pcm16_wav(8000, x.tobytes())))
    assert y.rate == 8000 and y.frames == len(x)


def test_long_recordings_in_segments_match_one_pass() -> None:
    x = _noisy_bursts(seconds=9.0)
    s = Suppressor()
    whole = s.apply(x.astype(float))
    parts = s.apply_long(x.astype(float), segment_s=2.5)
    err = _db(whole - parts) if np.any(whole != parts) else -np.inf
    assert _db(whole) - err > 40  # the warm-up gives each segment its history


async def _stored_recording(store: LocalObjectStore, rec_id: str, data: bytes) -> Recording:
    key = f"recordings/badge-0201/{rec_id}.wav"

    async def once():  # type: ignore[no-untyped-def]
        yield data

    await store.put(key, once())
    return await Recording.create(
        device_id="badge-0201", rec_id=rec_id, duration_ms=1000, codec="ima_adpcm", rate=FS,
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), object_key=key,
    )  # fmt: skip


async def test_pending_recordings_are_enhanced_once_and_bad_ones_kept_and_named(
    fleet_db: str, tmp_path: Path
) -> None:
    await register(DeviceSpec("badge-0201", "badge", "st-1"))
    store = LocalObjectStore(tmp_path / "objects")
    x = _noisy_bursts(seconds=3.0)
    good = await _stored_recording(store, "r-good", wavfile.ima_adpcm_wav(FS, x.tobytes()))
    garbage = b"not a wav at all" * 10
    bad = await _stored_recording(store, "r-bad", garbage)
    gone = await _stored_recording(store, "r-gone", wavfile.pcm16_wav(FS, x.tobytes()))
    await store.delete(gone.object_key)

    assert await enhance.enhance_pending(store) == 3
    assert await enhance.enhance_pending(store) == 0  # nothing is done twice

    good = await Recording.get(id=good.id)
    assert good.enhanced_key == "recordings/badge-0201/r-good.enhanced.wav"
    assert good.enhance_error is None
    copy = b"".join([p async for p in store.read(good.enhanced_key)])
    assert wavfile.read(copy).frames == len(x)
    bad = await Recording.get(id=bad.id)
    assert bad.enhanced_key is None and "not a RIFF/WAVE file" in (bad.enhance_error or "")
    assert b"".join([p async for p in store.read(bad.object_key)]) == garbage  # untouched
    gone = await Recording.get(id=gone.id)
    assert gone.enhance_error == "the original is missing from the object store"

    # Retention takes the copy with the original.
    await expire_recordings(store, datetime.now(UTC) + timedelta(days=1))
    assert await store.size(good.enhanced_key) is None and await store.size(good.object_key) is None


async def test_uploaded_recording_gets_an_enhanced_copy_in_the_fleet(
    fleet: RunningFleet, broker: MosquittoProcess
) -> None:
    await register(DeviceSpec("badge-0202", "badge", "st-1"))
    x = _noisy_bursts(seconds=4.0)
    data = wavfile.ima_adpcm_wav(FS, x.tobytes())
    result = await upload("127.0.0.1", broker.config.port, "badge-0202", "r-e1", data)
    assert result.complete, result
    made = Recording.filter(device_id="badge-0202", enhanced_key__not_isnull=True)
    rec = await eventually(lambda: made.first())
    async with aiohttp.ClientSession(headers=fleet.auth) as http:
        async with http.get(f"{fleet.url}api/v1/recordings/{rec.id}") as r:
            view = await r.json()
        assert view["enhanced"] == f"/api/v1/recordings/{rec.id}/enhanced"
        async with http.get(f"{fleet.url}{view['enhanced'][1:]}") as r:
            assert r.status == 200 and r.content_type == "audio/wav"
            copy = await r.read()
        async with http.get(f"{fleet.url}{view['audio'][1:]}") as r:
            assert await r.read() == data  # the original stays as uploaded
    assert copy == enhance.enhance_wav(data)  # what the suppressor makes of it, exactly
