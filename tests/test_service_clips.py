"""The clip job on both databases, against a world whose truth is known: a badge whose clock
runs 50 ppm fast and a kiosk whose clock restarts, their events received late and jittered.
Each recorded sample holds the badge's own time (1/100 s), so a clip shows exactly which
instant of the badge it plays. Services get their clip across a recording boundary and a
trimmed silence, overlapping sessions each get theirs, and the others say why they have none:
not worn, not uploaded yet (until it is, days later), no badge at the station."""

import json
import random
import struct
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from crmsensor.protocol import wavfile
from fleet.devices.models import Device, Event, Telemetry
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording
from fleet.recordings.objects import LocalObjectStore
from fleet.reviews import service_clips
from fleet.reviews.models import Service, ServiceClip

RATE = 8000
W0 = float(int(time.time()) - 3600)  # the badge boots; the kiosk starts 5 s later
SKEW = 50e-6
CFG = service_clips.ClipSettings(retry_s=60)
rng = random.Random(20)


def badge_t(wall: float) -> float:
    return (wall - W0) * (1 + SKEW)


def _at(s: float) -> datetime:
    return datetime.fromtimestamp(s, UTC)


def recording(start: float, end: float, cut: tuple[float, float] | None) -> bytes:
    """A WAV whose every sample is its badge time in 1/100 s (mod 30000), trimmed at
    ``cut`` (badge times) as the badge's trimmer would, with its crms chunk."""
    t = np.arange(round((end - start) * RATE)) / RATE + start
    x = (np.round(t * 100) % 30000).astype("<i2")
    cuts = []
    if cut is not None:
        a, b = (round((c - start) * RATE) for c in cut)
        x = np.concatenate([x[:a], x[b:]])
        cuts = [[a, b - a]]
    body = json.dumps({"cuts": cuts, "worn_session": "w-1"}).encode()
    wav = wavfile.pcm16_wav(RATE, x.tobytes()) + b"crms" + struct.pack("<I", len(body)) + body
    return wav[:4] + struct.pack("<I", len(wav) - 8) + wav[8:]


async def event(dev: str, seq: int, type_: str, wall: float, data: dict) -> None:
    received = wall + 0.02 + rng.uniform(0, 0.2)
    await Event.create(device_id=dev, seq=seq, type=type_, data=data, received_at=_at(received))


async def store_recording(store: LocalObjectStore, rec: str, wav: bytes) -> None:
    key = f"b-1/{rec}.wav"

    async def once() -> AsyncIterator[bytes]:
        yield wav

    await store.put(key, once())
    await Recording.create(
        device_id="b-1", station_id="st-1", rec_id=rec, duration_ms=wavfile.read(wav).frames // 8,
        codec="pcm16", rate=RATE, size=len(wav), sha256="0" * 64, object_key=key,
    )  # fmt: skip


BADGE = [  # (wall offset from W0, type, rec)
    (0, "boot", None), (10, "worn", None), (10, "rec_start", "r1"), (70, "rec_stop", "r1"),
    (70, "rec_start", "r2"), (130, "rec_stop", "r2"), (130, "unworn", None),
    (300, "worn", None), (300, "rec_start", "r3"), (360, "rec_stop", "r3"),
    (360, "unworn", None),
]  # fmt: skip
# (station's kiosk, session, roi, start, end) in wall offsets; k-1 restarts at 400
SESSIONS = [
    ("k-1", "s-a-1", "desk", 60, 80),  # across r1 -> r2, and a trimmed second at 64-65
    ("k-1", "s-a-2", "pump", 66, 75),  # overlapping the first
    ("k-1", "s-a-3", "desk", 200, 220),  # the badge is off its wearer
    ("k-1", "s-a-4", "desk", 310, 330),  # recorded, not uploaded yet
    ("k-1", "s-b-1", "desk", 420, 440),  # after the kiosk's restart (its clock from 0)
    ("k-9", "s-c-1", "desk", 60, 80),  # a station with no badge
]


def kiosk_t(kiosk: str, wall: float) -> float:
    started = W0 + (400 if wall >= W0 + 400 and kiosk == "k-1" else 5)
    return (wall - started) * (1 - 20e-6)


async def world(tmp_path: Path) -> LocalObjectStore:
    rng.seed(20)  # the same delays whichever test runs first
    await register(DeviceSpec("b-1", "badge", "st-1", tags=["staff:anna"]))
    await Device.filter(id="b-1").update(last_seen=datetime.now(UTC))  # online since
    await register(DeviceSpec("b-2", "badge", "st-1"))
    await register(DeviceSpec("k-1", "kiosk", "st-1"))
    await register(DeviceSpec("k-9", "kiosk", "st-9"))
    store = LocalObjectStore(tmp_path / "objects")
    await store.open()
    for seq, (off, type_, rec) in enumerate(BADGE):
        data = {"t_ms": round(badge_t(W0 + off) * 1000)} if type_ != "boot" else {"hw": "sim"}
        if rec:
            data["rec"] = rec
        await event("b-1", seq, type_, W0 + off, data)
    for i, off in enumerate(range(0, 500, 30)):  # b-2 on the desk: on, never worn
        await Telemetry.create(device_id="b-2", seq=i, received_at=_at(W0 + off),
                               data={"worn": False, "batt_pct": 80})  # fmt: skip
    trimmed = (badge_t(W0 + 64), badge_t(W0 + 65))
    await store_recording(store, "r1", recording(badge_t(W0 + 10), badge_t(W0 + 70), trimmed))
    await store_recording(store, "r2", recording(badge_t(W0 + 70), badge_t(W0 + 130), None))
    seqs = {"k-1": 0, "k-9": 0}
    for kiosk, session, roi, a, b in SESSIONS:
        for type_, wall, lag in (("session_start", W0 + a, 2.5), ("session_end", W0 + b, 0.7)):
            data = {"session": session, "roi": roi, "t_s": kiosk_t(kiosk, wall), "lag_s": lag}
            await event(kiosk, seqs[kiosk], type_, wall + lag, data)
            seqs[kiosk] += 1
    return store


def clip_time(wav: bytes, at_s: float) -> float:
    """The badge time (s, modulo 300) a clip plays ``at_s`` seconds in."""
    x = np.frombuffer(wavfile.read(wav).samples, "<i2")
    return float(x[round(at_s * RATE)]) / 100


def mod(t: float) -> float:
    return round(t * 100) % 30000 / 100


async def test_services_get_their_clips_or_say_why_not(fleet_db: str, tmp_path: Path) -> None:
    store = await world(tmp_path)
    assert await service_clips.collect() == len(SESSIONS)
    assert await service_clips.collect() == 0  # nothing new: the cursor moved on
    services = {s.session: s for s in await Service.all()}
    # the kiosk's clock, fitted, places every session (also after it restarted)
    for _kiosk, session, _roi, a, b in SESSIONS:
        s = services[session]
        assert abs(s.start.timestamp() - (W0 + a)) < 0.3, session
        assert abs(s.end.timestamp() - (W0 + b)) < 0.3, session
    now = datetime.now(UTC)
    states = {n: await service_clips.build(s, store, CFG, now) for n, s in services.items()}
    assert states == {"s-a-1": "ready", "s-a-2": "ready", "s-a-3": "no_audio",
                      "s-a-4": "waiting", "s-b-1": "no_audio", "s-c-1": "no_audio"}  # fmt: skip

    for session, a, b in (("s-a-1", 60, 80), ("s-a-2", 66, 75)):
        (clip,) = await ServiceClip.filter(service_id=services[session].id)
        assert (clip.device_id, clip.staff) == ("b-1", "anna")
        wav = b"".join([p async for p in store.read(clip.object_key)])
        assert abs(clip.start_at_s - CFG.preroll_s) < 0.01
        assert abs(clip_time(wav, clip.start_at_s) - mod(badge_t(W0 + a))) < 0.25
        assert abs(clip_time(wav, clip.end_at_s) - mod(badge_t(W0 + b))) < 0.25
        assert len(clip.peaks) == service_clips.PEAK_BINS
    (clip,) = await ServiceClip.filter(service_id=services["s-a-1"].id)
    wav = b"".join([p async for p in store.read(clip.object_key)])
    assert len(clip.recordings) == 2  # cut from r1 and r2
    # the trimmed second is silence in its place, and the badge's time goes on after it
    assert clip_time(wav, clip.start_at_s + 4.5) == 0.0
    assert abs(clip_time(wav, clip.start_at_s + 6) - mod(badge_t(W0 + 66))) < 0.25

    reasons = {n: (await Service.get(id=s.id)).clip_reason for n, s in services.items()}
    assert reasons["s-a-1"] == "b-2: badge not worn"
    assert reasons["s-a-3"] == "b-1: badge not worn; b-2: badge not worn"
    assert "b-1: recording not uploaded yet" in reasons["s-a-4"]
    assert reasons["s-c-1"] == "no badge at station st-9"

    # r3 arrives days later: the waiting service is tried again and gets its clip
    await store_recording(store, "r3", recording(badge_t(W0 + 300), badge_t(W0 + 360), None))
    later = now + timedelta(days=2)
    assert await service_clips.build_due(store, CFG, later) == 1
    s4 = await Service.get(id=services["s-a-4"].id)
    assert s4.clip_state == "ready"
    (clip,) = await ServiceClip.filter(service_id=s4.id)
    wav = b"".join([p async for p in store.read(clip.object_key)])
    assert abs(clip_time(wav, clip.start_at_s) - mod(badge_t(W0 + 310))) < 0.25

    # clips expire with their recordings: gone from the store, the service says why
    key = clip.object_key
    assert await service_clips.expire(store, datetime.now(UTC) + timedelta(seconds=1)) == 3
    assert await store.size(key) is None and await ServiceClip.all().count() == 0
    assert "expired" in (await Service.get(id=s4.id)).clip_reason


async def test_a_clip_from_the_enhanced_copies(fleet_db: str, tmp_path: Path) -> None:
    """With ``source = "enhanced"`` the clip is cut from the noise-suppressed copies, placed by
    the original's cuts (the copy is as long as the trimmed original)."""
    store = await world(tmp_path)
    for rec in await Recording.filter(device_id="b-1"):
        original = wavfile.read(b"".join([p async for p in store.read(rec.object_key)]))
        x = np.frombuffer(original.samples, "<i2")
        copy = wavfile.pcm16_wav(RATE, (x // 2).astype("<i2").tobytes())  # recognisably other

        async def once(data: bytes = copy) -> AsyncIterator[bytes]:
            yield data

        await store.put(rec.object_key + ".enhanced.wav", once())
        await Recording.filter(id=rec.id).update(enhanced_key=rec.object_key + ".enhanced.wav")
    await service_clips.collect()
    s1 = await Service.get(session="s-a-1")
    cfg = service_clips.ClipSettings(source="enhanced")
    assert await service_clips.build(s1, store, cfg, datetime.now(UTC)) == "ready"
    (clip,) = await ServiceClip.filter(service_id=s1.id)
    wav = b"".join([p async for p in store.read(clip.object_key)])
    half = mod(badge_t(W0 + 66)) / 2
    assert abs(clip_time(wav, clip.start_at_s + 6) - half) < 0.15
