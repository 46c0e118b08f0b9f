"""The clip job: kiosk sessions become services, and each service gets its clip from every
badge at its station that recorded it, in the object store; or the reason it has none.

1. :func:`collect` turns new ``session_end`` events into :class:`Service` rows (their wall
   edges from the kiosk's fitted clock, fleet/reviews/timeline.py). Its cursor is the newest
   end event it took, so a restart or a second instance takes up where it stopped; a row
   exists once per (kiosk, session).
2. :func:`build_due` tries the services whose clip is pending or waiting: for each badge at
   the station, the boot whose clock covers the session, its recordings overlapping the
   session (tagged or not), decoded with the trimmed silences put back, cut with pre-roll and
   post-roll (fleet/reviews/clips.py), stored as a 16-bit WAV. A service none of whose badges
   has audio is ``waiting`` while audio may still come (a recording the badge made but has not
   uploaded, a badge not heard from since) and ``no_audio`` with the reason once none can:
   no badge at the station, badge not worn, badge not charged or switched off.
3. :func:`expire` deletes the clips whose recordings expired (retention).
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from tortoise.exceptions import IntegrityError

from crmsensor.protocol import wavfile
from fleet.devices.models import Device, Event, Telemetry
from fleet.recordings.models import Recording
from fleet.recordings.objects import ObjectStore
from fleet.reviews import clips
from fleet.reviews.models import JobCursor, Service, ServiceClip
from fleet.reviews.timeline import Row, badge_boots, kiosk_sessions

log = logging.getLogger("fleet.reviews")

PEAK_BINS = 1200  # the waveform's resolution, whatever the clip's length
BADGE_TYPES = ("boot", "worn", "unworn", "rec_start", "rec_stop")
KIOSK_TYPES = ("session_start", "session_end")
_LOOK_BACK = timedelta(hours=12)  # a boot's events before the session, for its clock
_BATCH = 200


@dataclass(frozen=True)
class ClipSettings:
    source: str = "original"  # or "enhanced"
    preroll_s: float = 2.0
    postroll_s: float = 2.0
    wait_days: float = 7.0
    retry_s: float = 300.0


def _rows(events: list[Event]) -> list[Row]:
    return [Row(e.id, e.type, e.data, e.received_at.timestamp()) for e in events]


def _at(s: float) -> datetime:
    return datetime.fromtimestamp(s, UTC)


async def collect(limit: int = _BATCH) -> int:
    """Services from the session_end events not looked at yet; return how many were added."""
    cursor, _ = await JobCursor.get_or_create(name="services")
    ends = (
        await Event.filter(type="session_end", id__gt=cursor.position).order_by("id").limit(limit)
    )
    added = 0
    for kiosk_id in sorted({e.device_id for e in ends}):  # type: ignore[attr-defined]
        mine = [e for e in ends if e.device_id == kiosk_id]  # type: ignore[attr-defined]
        added += await _services_of(kiosk_id, mine)
    if ends:
        await JobCursor.filter(name="services").update(position=ends[-1].id)
    return added


async def _services_of(kiosk_id: str, ends: list[Event]) -> int:
    kiosk = await Device.get_or_none(id=kiosk_id)
    station = kiosk.station_id if kiosk is not None else None  # type: ignore[attr-defined]
    if station is None:
        log.warning("kiosk %s has no station: %d sessions make no service", kiosk_id, len(ends))
        return 0
    events = await Event.filter(
        device_id=kiosk_id, type__in=("boot", *KIOSK_TYPES),
        received_at__gte=min(e.received_at for e in ends) - _LOOK_BACK,
        id__lte=ends[-1].id,
    ).order_by("id")  # fmt: skip
    sessions, problems = kiosk_sessions(_rows(events))
    for p in problems:
        log.warning("kiosk %s: a session makes no service: %s", kiosk_id, p)
    wanted = {e.id for e in ends}
    added = 0
    for s in sessions:
        if s.end_row not in wanted:
            continue
        try:
            await Service.create(
                station_id=station, kiosk_id=kiosk_id, session=s.session, roi=s.roi,
                start=_at(s.start), end=_at(s.end), duration_s=round(s.end - s.start, 2),
                end_event=s.end_row, next_try_at=datetime.now(UTC),
            )  # fmt: skip
            added += 1
        except IntegrityError:
            pass  # an end delivered twice, or another instance took it first
    return added


@dataclass
class _Outcome:
    """One badge's answer for one service: a clip plan, or why not (and whether to wait)."""

    device_id: str
    plan: clips.Plan | None = None
    reason: str = ""
    wait: bool = False
    recordings: dict[str, Recording] | None = None


def _staff_of(badge: Device) -> str:
    for tag in badge.tags or []:
        if isinstance(tag, str) and tag.startswith("staff:"):
            return tag[6:]
    return badge.id


async def _badge_outcome(
    badge: Device, service: Service, cfg: ClipSettings, partial: bool
) -> _Outcome:
    """What one badge has of the service. ``partial``: cut a clip even while a recording
    that overlaps it is still to come (the service waited long enough)."""
    start, end = service.start.timestamp(), service.end.timestamp()
    events = await Event.filter(
        device_id=badge.id, type__in=BADGE_TYPES,
        received_at__gte=service.start - _LOOK_BACK,
    ).order_by("id").limit(20_000)  # fmt: skip
    rows = _rows(events)
    made = {r.data.get("rec") for r in rows if r.type == "rec_start" and isinstance(r.data, dict)}
    recs = {
        r.rec_id: r
        for r in await Recording.filter(device_id=badge.id, rec_id__in=[m for m in made if m])
    }
    stored = {k: (r.duration_ms / 1000, r.rate) for k, r in recs.items()}
    out = _Outcome(badge.id, recordings=recs)
    boots = badge_boots(rows, stored)
    # the boot the badge was running at the session: the last one that began before its end
    on = [b for b in boots if b.fit is not None and b.fit.wall(b.t_first) <= end + cfg.postroll_s]
    if not on:
        broken = [b.error for b in boots if b.fit is None]
        if broken:
            out.reason = f"badge clock: {broken[0]}"
            return out
        return await _silent(badge, service, out)
    boot = on[-1]
    assert boot.fit is not None
    lo, hi = boot.fit.device(start), boot.fit.device(end)
    roll_lo, roll_hi = boot.fit.device(start - cfg.preroll_s), boot.fit.device(end + cfg.postroll_s)
    if not partial and boot.pending(set(recs), roll_lo, roll_hi):
        out.reason, out.wait = "recording not uploaded yet", True
        return out
    try:
        out.plan = clips.plan(boot.takes, boot.fit, start, end, cfg.preroll_s, cfg.postroll_s)
        return out
    except clips.NoAudio:
        pass
    except ValueError as exc:
        out.reason = str(exc)
        return out
    if boot is boots[-1] and boot.t_last < lo:
        # no event since before the session: taken off before it, and heard from since (so
        # nothing is queued on it), or else what its telemetry says
        taken_off = bool(boot.worn) and boot.worn[-1][1] is not None
        if not (taken_off and badge.last_seen is not None and badge.last_seen > service.end):
            return await _silent(badge, service, out)
        out.reason = "badge not worn"
    elif not any(a < hi and (b is None or b > lo) for a, b in boot.worn):
        out.reason = "badge not worn"
    else:
        out.reason = "worn, but nothing recorded"
    return out


async def _silent(badge: Device, service: Service, out: _Outcome) -> _Outcome:
    """No event of the badge covers the session: what its telemetry said then, if anything."""
    during = await Telemetry.filter(
        device_id=badge.id, received_at__gte=service.start,
        received_at__lte=service.end + timedelta(seconds=60),
    ).limit(1000)  # fmt: skip
    said: list[dict[str, Any]] = [t.data for t in during if isinstance(t.data, dict)]
    if said:
        worn = any(d.get("worn") for d in said)
        out.reason = "worn, but nothing recorded" if worn else "badge not worn"
        return out
    last = (
        await Telemetry.filter(device_id=badge.id, received_at__lte=service.end)
        .order_by("-received_at")
        .first()
    )
    pct = last.data.get("batt_pct") if last is not None and isinstance(last.data, dict) else None
    if isinstance(pct, int | float) and pct <= 5:
        out.reason = f"badge not charged (battery at {pct:g}% before the session)"
    elif badge.last_seen is None or badge.last_seen < service.end:
        out.reason, out.wait = "badge not heard from since the session (off or away)", True
    else:
        out.reason = "badge off during the session"
    return out


def peaks(samples: bytes, bins: int = PEAK_BINS) -> list[int]:
    """The waveform of 16-bit samples: the largest magnitude in each of ``bins`` bins, 0-255."""
    x = np.abs(np.frombuffer(samples, "<i2").astype(np.int32))
    if x.size == 0:
        return []
    edges = np.linspace(0, x.size, min(bins, x.size) + 1).astype(int)
    top = np.maximum.reduceat(x, edges[:-1])
    return [int(v) for v in np.minimum(255, (top * 255) // 32767)]


async def _read(store: ObjectStore, key: str) -> bytes:
    return b"".join([part async for part in store.read(key)])


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _decode(original: bytes, enhanced: bytes | None) -> wavfile.Pcm:
    """A recording on its own clock: decoded, the trimmer's silences put back."""
    cuts = wavfile.cuts(original)
    pcm = wavfile.read(enhanced if enhanced is not None else original)
    return wavfile.untrim(pcm, cuts)


async def _render(store: ObjectStore, o: _Outcome, cfg: ClipSettings) -> tuple[bytes, list[int]]:
    assert o.plan is not None and o.recordings is not None
    audio: dict[str, wavfile.Pcm] = {}
    for piece in o.plan.pieces:
        if piece.rec_id is None or piece.rec_id in audio:
            continue
        rec = o.recordings[piece.rec_id]
        original = await _read(store, rec.object_key)
        enhanced = None
        if cfg.source == "enhanced" and rec.enhanced_key:
            enhanced = await _read(store, rec.enhanced_key)
        audio[piece.rec_id] = await asyncio.to_thread(_decode, original, enhanced)
    wav = await asyncio.to_thread(clips.render, o.plan, audio.__getitem__)
    return wav, await asyncio.to_thread(peaks, wav[44:])


async def build(service: Service, store: ObjectStore, cfg: ClipSettings, now: datetime) -> str:
    """Make the clips of one service; return its new clip state."""
    badges = await Device.filter(kind="badge", station_id=service.station_id)
    too_late = now - service.end > timedelta(days=cfg.wait_days)
    outcomes = [await _badge_outcome(b, service, cfg, too_late) for b in badges]
    staff = {b.id: _staff_of(b) for b in badges}
    made = 0
    for o in outcomes:
        if o.plan is None or o.recordings is None:
            continue
        try:
            wav, wave = await _render(store, o, cfg)
        except (wavfile.WavError, KeyError) as exc:
            o.plan, o.reason = None, f"recording unreadable: {exc}"
            continue
        where = f"{service.station_id}/{service.kiosk_id}/{service.session}/{o.device_id}"
        key = f"clips/{where}.wav".lower()  # object keys are lower case
        used = [o.recordings[p.rec_id] for p in o.plan.pieces if p.rec_id is not None]
        await store.put(key, _once(wav))
        try:
            await ServiceClip.create(
                service=service, device_id=o.device_id, staff=staff[o.device_id],
                object_key=key, size=len(wav), rate=o.plan.rate,
                duration_s=o.plan.frames / o.plan.rate, start_at_s=o.plan.start_at_s,
                end_at_s=o.plan.end_at_s, covered=round(o.plan.covered, 3),
                recordings=sorted({r.id for r in used}),
                peaks=wave, sources_at=min(r.created_at for r in used),
            )  # fmt: skip
            made += 1
        except IntegrityError:
            made += 1  # another instance made it
    reasons = [f"{o.device_id}: {o.reason}" for o in outcomes if o.plan is None and o.reason]
    if not badges:
        reasons = [f"no badge at station {service.station_id}"]
    waiting = any(o.wait for o in outcomes if o.plan is None)
    if made:
        state = "ready"
    elif waiting and not too_late:
        state = "waiting"
    else:
        state = "no_audio"
    service.clip_state = state
    service.clip_reason = "; ".join(reasons)[:300]
    service.next_try_at = now + timedelta(seconds=cfg.retry_s) if state == "waiting" else None
    await service.save(update_fields=["clip_state", "clip_reason", "next_try_at"])
    return state


async def build_due(store: ObjectStore, cfg: ClipSettings, now: datetime, limit: int = 20) -> int:
    """Try the services whose clip is pending, or waiting and due; return how many."""
    due = (
        await Service.filter(clip_state__in=("pending", "waiting"), next_try_at__lte=now)
        .order_by("next_try_at")
        .limit(limit)
    )
    for service in due:
        try:
            await build(service, store, cfg, now)
        except Exception:
            log.exception("clip of service %s failed; tried again later", service.id)
            service.next_try_at = now + timedelta(seconds=cfg.retry_s)
            await service.save(update_fields=["next_try_at"])
    return len(due)


async def expire(store: ObjectStore, older_than: datetime) -> int:
    """Delete the clips cut from recordings that arrived before ``older_than`` (they expire
    with their recordings); the service says so."""
    n = 0
    for clip in await ServiceClip.filter(sources_at__lt=older_than).limit(_BATCH):
        await store.delete(clip.object_key)
        await clip.delete()
        await Service.filter(id=clip.service_id).update(  # type: ignore[attr-defined]
            clip_state="no_audio", clip_reason="its recordings expired (retention)"
        )
        n += 1
    return n


def clip_view(c: ServiceClip) -> dict[str, Any]:
    return {"id": c.id, "device": c.device_id, "staff": c.staff, "duration_s": c.duration_s,
            "start_at_s": c.start_at_s, "end_at_s": c.end_at_s, "covered": c.covered,
            "rate": c.rate, "size": c.size}  # fmt: skip
