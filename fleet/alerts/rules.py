"""Health rules: what an operator must look at, from each device's latest state.

:func:`evaluate` is pure (a device's facts in, findings out); :func:`sync_alerts` opens an
alert when a rule starts firing and closes it when it stops.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fleet.alerts.models import Alert
from fleet.alerts.store import open_by_device, sync_alerts
from fleet.devices.models import Device
from fleet.hierarchy.models import Station


@dataclass(frozen=True)
class HealthRules:
    """Thresholds (fleet settings ``[health]``)."""

    battery_low_pct: int = 20
    not_charged_h: float = 24.0
    storage_low_kb: int = 200 * 1024
    backlog_growth_reports: int = 5
    rssi_poor_dbm: int = -80
    no_recording_worn_min: float = 60.0
    kiosk_min_fps: float = 5.0
    offline_alert_after_s: float = 300.0
    flapping_transitions: int = 6
    latest_fw: dict[str, str] = field(default_factory=dict)


def version_tuple(v: str) -> tuple[int, ...]:
    """``"1.2.10"`` -> ``(1, 2, 10)``; non-numeric parts count as 0."""
    out = []
    for part in v.split("."):
        digits = "".join(c for c in part if c.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


def station_open(opening_hours: str, tz: str, now: datetime) -> bool:
    """Is a station open at ``now`` (aware)? Empty hours: always open."""
    if not opening_hours:
        return True
    try:
        local = now.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        local = now
    start, end = opening_hours.split("-")
    minutes = local.hour * 60 + local.minute
    a = int(start[:2]) * 60 + int(start[3:])
    b = int(end[:2]) * 60 + int(end[3:])
    return a <= minutes < b if a <= b else minutes >= a or minutes < b


def evaluate(
    d: Device, rules: HealthRules, now: datetime, is_open: bool
) -> dict[str, tuple[str, str]]:
    """Findings for one device: ``{rule: (severity, message)}``."""
    out: dict[str, tuple[str, str]] = {}
    t: dict[str, Any] = d.last_tele or {}
    if not d.online:
        since = d.status_at or d.last_seen
        if since is None or (now - since).total_seconds() >= rules.offline_alert_after_s:
            out["offline"] = ("warning", f"offline ({d.status_reason or 'never seen'})")
    if d.flaps >= rules.flapping_transitions:
        out["flapping"] = ("warning", f"{d.flaps} online/offline changes in 10 minutes")
    want = rules.latest_fw.get(d.kind)
    if want and d.fw and version_tuple(d.fw) < version_tuple(want):
        out["firmware_behind"] = ("info", f"firmware {d.fw}, latest {want}")
    if not d.online:
        return out  # the rest judges live reports only
    rssi = t.get("rssi_dbm")
    if isinstance(rssi, int) and rssi < rules.rssi_poor_dbm:
        out["rssi_poor"] = ("warning", f"Wi-Fi signal {rssi} dBm")
    if d.kind == "badge":
        pct = t.get("batt_pct")
        if isinstance(pct, int) and pct < rules.battery_low_pct and not t.get("charging"):
            out["battery_low"] = ("warning", f"battery {pct}% and not charging")
        since_charge = d.last_charging_at or d.created_at
        if since_charge and now - since_charge > timedelta(hours=rules.not_charged_h):
            out["not_charged"] = ("warning", f"not charged for {rules.not_charged_h:g} h")
        free = t.get("storage_free_kb")
        if isinstance(free, int) and free < rules.storage_low_kb:
            out["storage_low"] = ("critical", f"{free} KiB free for recordings")
        backlog = (d.health or {}).get("backlog_rising", 0)
        if backlog >= rules.backlog_growth_reports:
            out["backlog_growing"] = (
                "warning",
                f"upload backlog rose in {backlog} reports in a row ({t.get('backlog')} now)",
            )
        if is_open and t.get("worn") and d.worn_since:
            worn_min = (now - d.worn_since).total_seconds() / 60
            last = d.last_recording_at
            quiet_min = (now - last).total_seconds() / 60 if last else worn_min
            if min(worn_min, quiet_min) >= rules.no_recording_worn_min:
                out["no_recording"] = (
                    "warning",
                    f"worn during opening hours, no recording for {quiet_min:.0f} min",
                )
    else:
        if t.get("camera_ok") is False:
            out["camera_error"] = ("critical", "the camera delivers no frames")
        fps = t.get("fps")
        if isinstance(fps, int | float) and fps < rules.kiosk_min_fps:
            out["fps_low"] = ("warning", f"camera at {fps:.1f} fps")
    return out


def backlog_trend(health: dict[str, Any], backlog: int | None) -> dict[str, Any]:
    """Update the device's running count of reports with a rising upload backlog."""
    if backlog is None:
        return health
    prev = health.get("backlog")
    rising = health.get("backlog_rising", 0)
    rising = rising + 1 if prev is not None and backlog > prev else 0
    return {**health, "backlog": backlog, "backlog_rising": rising}


async def check_all(
    rules: HealthRules, now: datetime, opened: list[tuple[Alert, str | None]] | None = None
) -> int:
    """Evaluate every device; return how many have open findings. The alerts this check
    opened are appended to ``opened`` with their device's station (to notify people)."""
    stations = {s.id: s for s in await Station.all()}
    open_now = await open_by_device()
    n = 0
    for i, d in enumerate(await Device.filter(decommissioned_at=None)):
        station_id = d.station_id  # type: ignore[attr-defined]
        st = stations.get(station_id)
        is_open = station_open(st.opening_hours, st.timezone, now) if st else True
        findings = evaluate(d, rules, now, is_open)
        have = open_now.get(d.id, {})
        if findings.keys() != have.keys():  # only a change touches the database
            new = await sync_alerts(d.id, findings, now, have)
        else:
            new = []
        if i % 500 == 499:
            await asyncio.sleep(0)  # 10,000 devices: let requests and ingest in between
        if opened is not None:
            opened.extend((a, station_id) for a in new)
        n += bool(findings)
    return n
