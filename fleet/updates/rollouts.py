"""Rollouts: a release taken to a target in waves, gated on health.

:func:`evaluate` is one step of a rollout's state machine; the housekeeping job runs it for
every running rollout on one instance at a time (a lease, fleet/leases/lease.py). Everything it
decides is in the database (the rollout's row, its updates, its log), so a fleet restarted
mid-wave goes on where it was: a device told once is never told again by the same rollout.

One step:
1. the target's devices now (a filter: scope, tags, hardware, current version; devices the
   rollout has updated stay in it), in cohort order (fleet/updates/cohorts.py);
2. the current wave's devices that were not told yet are told, when online and inside their
   maintenance window (an offline one is told when it returns);
3. the wave's failures (reported, or silent past the deadline) at or over ``error_pct`` pause
   the rollout;
4. the health gate (fleet/updates/health_gate.py) compares the updated devices with the target's
   not-yet-updated ones and pauses on a regression;
5. a wave healthy at ``success_pct`` or more, ``wave_gap_s`` after it began, starts the next;
   the last one completes the rollout.
"""

import itertools
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fleet.devices.models import Device, DeviceTag, Telemetry
from fleet.devices.models import Event as EventRow
from fleet.hierarchy.stations import stations_under
from fleet.recordings.models import Recording
from fleet.updates import cohorts, health_gate
from fleet.updates.models import DeviceUpdate, Release, Rollout, RolloutLog
from fleet.updates.releases import DEVICE_KIND, ReleaseRefused, deliver

logger = logging.getLogger("fleet.updates.rollouts")
FAILED = ("rolled_back", "error", "failed", "cancelled")
SCOPES = ("all", "organisation", "region", "station")


async def log(r: Rollout, text: str, now: datetime) -> None:
    await RolloutLog.create(rollout_id=r.id, at=now, text=text[:300])


async def set_state(r: Rollout, state: str, reason: str, now: datetime) -> None:
    """Move the rollout (pause, resume, abort, complete) and log why."""
    r.state, r.reason = state, reason[:256]
    if state in ("completed", "aborted"):
        r.finished_at = now
    await r.save(update_fields=["state", "reason", "finished_at", "updated_at"])
    await log(r, f"{state}: {reason}" if reason else state, now)


def in_window(window: dict[str, Any], device: Device, now: datetime) -> bool:
    """Is ``device`` inside the rollout's maintenance window? ``{"charging": true}``: a badge
    only while on charge; ``{"hours": [22, 6], "tz": "Europe/Moscow"}``: only between those
    local hours (a kiosk outside opening hours; wraps past midnight)."""
    charging = bool((device.last_tele or {}).get("charging"))
    if window.get("charging") and device.kind == "badge" and not charging:
        return False
    hours = window.get("hours")
    if hours:
        start, end = hours
        h = now.astimezone(ZoneInfo(window.get("tz", "UTC"))).hour
        inside = start <= h < end if start <= end else (h >= start or h < end)
        if not inside:
            return False
    return True


async def target_devices(r: Rollout, release: Release, told: Iterable[str]) -> list[Device]:
    """The rollout's target now; the devices it told stay in it whatever they run now."""
    t = r.target
    qs = Device.filter(
        kind=DEVICE_KIND[release.kind], decommissioned_at__isnull=True, hw__in=release.hw
    )
    scope = t.get("scope", "all")
    if scope != "all":
        kind, _, ident = scope.partition(":")
        qs = qs.filter(station_id__in=sorted(await stations_under(kind, ident)))
    if t.get("hw"):
        qs = qs.filter(hw__in=t["hw"])
    if t.get("devices"):
        qs = qs.filter(id__in=t["devices"])
    if t.get("tags"):
        tagged = await DeviceTag.filter(tag__in=t["tags"]).values_list("device_id", flat=True)
        qs = qs.filter(id__in=sorted(set(tagged)))
    devices = await qs
    told_set = set(told)
    if t.get("versions"):
        devices = [d for d in devices if d.fw in t["versions"] or d.id in told_set]
    return devices


async def _latest_updates(r: Rollout) -> dict[str, DeviceUpdate]:
    out: dict[str, DeviceUpdate] = {}
    for u in await DeviceUpdate.filter(rollout_id=r.id).order_by("id"):
        out[u.device_id] = u  # type: ignore[attr-defined]
    return out


async def _cohort(
    devices: list[Device], since: dict[str, datetime], now: datetime
) -> health_gate.Cohort:
    """Observe ``devices``, each from its own start (``since``) to ``now``."""
    c = health_gate.Cohort(devices=len(devices))
    if not devices:
        return c
    first = min(since.values())
    c.offline = sum(1 for d in devices if not d.online)
    c.hours = sum((now - since[d.id]).total_seconds() for d in devices) / 3600
    ids = [d.id for d in devices]
    events = await EventRow.filter(
        device_id__in=ids, type__in=("boot", "error"), received_at__gt=first
    ).values_list("device_id", "type", "received_at")
    c.reboots = sum(1 for dev, type_, at in events if type_ == "boot" and at > since[dev])
    c.errors = sum(1 for dev, type_, at in events if type_ == "error" and at > since[dev])
    if devices[0].kind == "badge":
        recs = await Recording.filter(device_id__in=ids, created_at__gt=first).values_list(
            "device_id", "created_at", "duration_ms"
        )
        hours: dict[str, float] = defaultdict(float)
        for dev, at, ms in recs:
            if at > since[dev]:
                hours[dev] += ms / 3_600_000
        for d in devices:
            exposure = (now - since[d.id]).total_seconds() / 3600
            if exposure >= 0.05:
                c.recorded.append(hours[d.id] / exposure)
    tele = (
        await Telemetry.filter(device_id__in=ids, received_at__gt=first)
        .order_by("received_at")
        .values_list("device_id", "received_at", "data")
    )
    points: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    errors: dict[str, list[int]] = defaultdict(list)
    fps: dict[str, list[float]] = defaultdict(list)
    for dev, at, data in tele:
        if at <= since[dev]:
            continue
        if not data.get("charging") and "batt_pct" in data:
            points[dev].append((at, float(data["batt_pct"])))
        if "camera_errors" in data:
            errors[dev].append(int(data["camera_errors"]))
        if "fps" in data:
            fps[dev].append(float(data["fps"]))
    # a kiosk's counter restarts with the agent: count only what it grew by
    c.camera_errors = sum(
        sum(max(0, b - a) for a, b in itertools.pairwise(e)) for e in errors.values()
    )
    c.fps = [sum(f) / len(f) for f in fps.values() if f]
    for pts in points.values():
        span_h = (pts[-1][0] - pts[0][0]).total_seconds() / 3600
        if len(pts) >= 2 and span_h >= 0.1:
            c.drains.append((pts[0][1] - pts[-1][1]) / span_h)
    return c


async def health(
    r: Rollout, release: Release, devices: list[Device], ups: dict[str, DeviceUpdate], now: datetime
) -> dict[str, Any]:
    """The health comparison: updated devices (healthy on the release) against the target's
    devices not told yet, over the gate's window."""
    g = {**health_gate.DEFAULTS, **(r.gate or {})}
    start = now - timedelta(seconds=g["window_s"])
    updated, control = [], []
    since: dict[str, datetime] = {}
    for d in devices:
        u = ups.get(d.id)
        if u is not None and u.state == "healthy" and u.finished_at is not None:
            updated.append(d)
            since[d.id] = max(u.finished_at, start)
        elif u is None and d.fw != release.version:
            control.append(d)
            since[d.id] = max(r.created_at, start)
    result = health_gate.compare(
        await _cohort(updated, since, now), await _cohort(control, since, now), g
    )
    result["at"] = now.isoformat()
    return result


async def evaluate(
    r: Rollout, public_url: str, timeout_s: float, now: datetime | None = None
) -> None:
    """One step of a running rollout's state machine (see the module's docstring)."""
    now = now or datetime.now(UTC)
    if r.state != "running":
        return
    release = await Release.get(id=r.release_id)  # type: ignore[attr-defined]
    if release.yanked_at is not None:
        await set_state(r, "paused", f"release yanked: {release.yank_reason}", now)
        return
    ups = await _latest_updates(r)
    devices = await target_devices(r, release, ups)
    order = cohorts.ordered([d.id for d in devices])
    by_id = {d.id: d for d in devices}
    sizes = cohorts.wave_sizes(r.waves, len(order))
    if r.wave_started_at is None:
        r.wave_started_at = now
        await log(r, f"wave 1 started: {sizes[0]} of {len(order)} devices", now)
    wave = [by_id[i] for i in order[: sizes[r.wave]]]
    for d in wave:
        if d.id in ups or d.fw == release.version or not d.online:
            continue
        if not in_window(r.window or {}, d, now):
            continue
        try:
            ups[d.id] = await deliver(d, release, public_url, timeout_s, rollout_id=r.id, now=now)
        except ReleaseRefused as exc:
            await log(r, f"{d.id} not told: {exc}", now)
    failed = [d for d in wave if d.id in ups and ups[d.id].state in FAILED]
    done = [
        d for d in wave
        if d.fw == release.version and (d.id not in ups or ups[d.id].state == "healthy")
    ]  # fmt: skip
    n = len(wave)
    r.health = await health(r, release, devices, ups, now)
    r.evaluated_at = now
    await r.save(update_fields=["health", "evaluated_at", "wave_started_at", "updated_at"])
    if n and 100 * len(failed) >= r.error_pct * n:
        await set_state(
            r, "paused",
            f"wave {r.wave + 1}: {len(failed)} of {n} devices failed, the error threshold is "
            f"{r.error_pct}%", now,
        )  # fmt: skip
        return
    if r.health["regressed"] and not (r.gate or {}).get("off"):
        worse = "; ".join(
            f"{f['metric']} {_fmt(f['updated'])} vs {_fmt(f['control'])} (p={f['p']:.2g})"
            for f in r.health["findings"] if f["regressed"]
        )  # fmt: skip
        await set_state(r, "paused", f"health gate: updated devices worse: {worse}", now)
        return
    gap_over = (now - r.wave_started_at).total_seconds() >= r.wave_gap_s
    if n and 100 * len(done) >= r.success_pct * n and gap_over:
        if r.wave + 1 < len(sizes):
            r.wave += 1
            r.wave_started_at = now
            await r.save(update_fields=["wave", "wave_started_at", "updated_at"])
            await log(r, f"wave {r.wave + 1} started: {sizes[r.wave]} of {len(order)} devices", now)
        else:
            await set_state(
                r, "completed", f"{len(done)} of {n} devices run {release.version}", now
            )


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3g}"


async def run_due(public_url: str, timeout_s: float, now: datetime | None = None) -> int:
    """Evaluate every running rollout; return how many."""
    running = await Rollout.filter(state="running").order_by("id")
    for r in running:
        try:
            await evaluate(r, public_url, timeout_s, now)
        except Exception:  # one rollout's trouble must not hold the others
            logger.exception("rollout %s: evaluation failed; tried again next time", r.id)
    return len(running)


def waves_view(r: Rollout, order: list[str], ups: dict[str, DeviceUpdate], fw: dict[str, str],
               version: str) -> list[dict[str, Any]]:  # fmt: skip
    """Each wave: its size, and its devices by state (for the API and the page)."""
    sizes = cohorts.wave_sizes(r.waves, len(order))
    out = []
    prev = 0
    for k, size in enumerate(sizes):
        states: dict[str, int] = defaultdict(int)
        for dev in order[prev:size]:
            u = ups.get(dev)
            states[u.state if u else ("healthy" if fw.get(dev) == version else "waiting")] += 1
        out.append({
            "wave": k + 1, "spec": r.waves[k], "devices": size - prev, "cumulative": size,
            "states": dict(states),
            "status": "done" if k < r.wave else ("current" if k == r.wave else "later"),
        })  # fmt: skip
        prev = size
    return out


async def view(r: Rollout, detail: bool = False) -> dict[str, Any]:
    """The JSON shape of a rollout in the API; ``detail``: with waves, devices and its log."""
    release = await Release.get(id=r.release_id)  # type: ignore[attr-defined]
    out: dict[str, Any] = {
        "id": r.id, "name": r.name, "release": release.id, "version": release.version,
        "kind": release.kind, "target": r.target, "waves": r.waves, "wave": r.wave + 1,
        "wave_gap_s": r.wave_gap_s, "window": r.window, "success_pct": r.success_pct,
        "error_pct": r.error_pct, "gate": r.gate, "state": r.state, "reason": r.reason,
        "created_by": r.created_by, "created_at": r.created_at.isoformat(),
        "evaluated_at": r.evaluated_at.isoformat() if r.evaluated_at else None,
        "finished_at": r.finished_at.isoformat() if r.finished_at else None,
        "health": r.health,
    }  # fmt: skip
    if detail:
        ups = await _latest_updates(r)
        devices = await target_devices(r, release, ups)
        order = cohorts.ordered([d.id for d in devices])
        fw = {d.id: d.fw for d in devices}
        out["wave_detail"] = waves_view(r, order, ups, fw, release.version)
        out["devices"] = [
            {"id": dev, "fw": fw[dev], "rank": round(cohorts.rank(dev), 4),
             "state": ups[dev].state if dev in ups else None,
             "reason": ups[dev].reason if dev in ups else ""}
            for dev in order
        ]  # fmt: skip
        out["log"] = [
            {"at": e.at.isoformat(), "text": e.text}
            for e in await RolloutLog.filter(rollout_id=r.id).order_by("id")
        ]
    return out
