"""What the web office's device pages show, read for a set of stations in scope: the fleet
summary, a page of devices, one device with its telemetry series, events and commands, and a
kiosk's sessions per hour. Scope is a filter in SQL (``stations`` None: everything)."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from fleet.devices.commands import command_view
from fleet.devices.models import Command, Device, Event, Telemetry, TelemetryHourly
from fleet.devices.registry import VIEW_FIELDS, view_of_row
from fleet.hierarchy.stations import station_names

STATIONS_SHOWN = 200


def _in_scope(qs: QuerySet[Any], stations: Iterable[str] | None) -> QuerySet[Any]:
    return qs if stations is None else qs.filter(station_id__in=sorted(stations))


async def summary(stations: frozenset[str] | None) -> dict[str, Any]:
    """Online/offline counts, per-station counts and firmware versions in scope."""
    qs = _in_scope(Device.all(), stations)
    rows = await (
        qs.annotate(n=Count("id"))
        .group_by("station_id", "online")
        .values("station_id", "online", "n")
    )
    per: dict[str | None, dict[str, int]] = {}
    online = offline = 0
    for r in rows:
        s = per.setdefault(r["station_id"], {"devices": 0, "online": 0})
        s["devices"] += r["n"]
        if r["online"]:
            s["online"] += r["n"]
            online += r["n"]
        else:
            offline += r["n"]
    fw = (
        await _in_scope(Device.all(), stations)
        .annotate(n=Count("id"))
        .group_by("fw")
        .values("fw", "n")
    )
    names = await station_names([s for s in per if s is not None])
    listed: list[dict[str, Any]] = [
        {"id": sid, "name": names.get(sid, ("", ""))[0], "region": names.get(sid, ("", ""))[1],
         **counts, "alerts": 0}
        for sid, counts in per.items()
        if sid is not None
    ]  # fmt: skip
    listed.sort(key=lambda s: (s["online"] - s["devices"], s["id"]))
    return {
        "online": online,
        "offline": offline,
        "stations": listed[:STATIONS_SHOWN],
        "stations_more": len(listed) > STATIONS_SHOWN,
        "firmware": sorted(((r["fw"], r["n"]) for r in fw), key=lambda x: -x[1]),
    }


async def device_page(
    stations: frozenset[str] | None,
    limit: int,
    *,
    station: str | None = None,
    kind: str | None = None,
    online: bool | None = None,
    tag: str | None = None,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of device views in scope, by id, and the next page's cursor."""
    qs = _in_scope(Device.all(), stations)
    if station:
        qs = qs.filter(station_id=station)
    if kind:
        qs = qs.filter(kind=kind)
    if online is not None:
        qs = qs.filter(online=online)
    if tag:
        qs = qs.filter(tag_rows__tag=tag)
    if after:
        qs = qs.filter(id__gt=after)
    rows = await qs.order_by("id").limit(limit + 1).values(*VIEW_FIELDS)
    more = len(rows) > limit
    rows = rows[:limit]
    return [view_of_row(r) for r in rows], (rows[-1]["id"] if more else None)


async def device(device_id: str) -> dict[str, Any] | None:
    """One device's view, or None."""
    rows = await Device.filter(id=device_id).values(*VIEW_FIELDS)
    return view_of_row(rows[0]) if rows else None


SERIES = {
    "badge": (("batt_pct", "Battery", "%"), ("storage_free_kb", "Storage free", " KiB"),
              ("rssi_dbm", "Wi-Fi signal", " dBm"), ("heap_free", "Heap free", " B")),
    "kiosk": (("fps", "Camera frame rate", " fps"), ("rssi_dbm", "Wi-Fi signal", " dBm")),
}  # fmt: skip


async def series(
    device_id: str, kind: str, hours: int = 48
) -> list[tuple[str, str, list[tuple[datetime, float]]]]:
    """Telemetry series for charts, oldest first: raw reports of the last ``hours`` when there
    are any, else the hourly means. ``(title, unit, points)``."""
    since = datetime.now(UTC) - timedelta(hours=hours)
    raw = (
        await Telemetry.filter(device_id=device_id, received_at__gte=since)
        .order_by("-id")
        .limit(2000)
        .values_list("received_at", "data")
    )
    raw.reverse()
    out = []
    for key, title, unit in SERIES.get(kind, ()):
        pts = [(at, float(d[key])) for at, d in raw if isinstance(d.get(key), int | float)]
        if not pts:
            hourly = (
                await TelemetryHourly.filter(device_id=device_id)
                .order_by("-hour")
                .limit(hours)
                .values_list("hour", "stats")
            )
            pts = [(h, s[key][3] / s[key][0]) for h, s in reversed(hourly) if key in s]
        if pts:
            out.append((title, unit, pts))
    return out


async def events(device_id: str, limit: int) -> list[dict[str, Any]]:
    """The device's newest events."""
    rows = await Event.filter(device_id=device_id).order_by("-id").limit(limit)
    return [
        {"received_at": r.received_at.isoformat(), "type": r.type, "data": r.data} for r in rows
    ]


async def commands(device_id: str, limit: int) -> list[dict[str, Any]]:
    """The device's newest commands with their results."""
    rows = await Command.filter(device_id=device_id).order_by("-created_at").limit(limit)
    return [command_view(c) for c in rows]


async def kiosk_hours(device_id: str, hours: int = 24) -> list[dict[str, Any]]:
    """A kiosk's sessions per hour and their mean service time, newest hour first."""
    since = datetime.now(UTC) - timedelta(hours=hours)
    rows = await Event.filter(
        device_id=device_id, type="session_end", received_at__gte=since
    ).values_list("received_at", "data")
    by_hour: dict[datetime, list[float]] = {}
    for at, data in rows:
        hour = at.replace(minute=0, second=0, microsecond=0)
        d = data.get("duration_s") if isinstance(data, dict) else None
        by_hour.setdefault(hour, []).append(float(d) if isinstance(d, int | float) else -1.0)
    out = []
    for hour in sorted(by_hour, reverse=True):
        known = [x for x in by_hour[hour] if x >= 0]
        mean = f"{sum(known) / len(known):.1f} s" if known else "-"
        out.append({"hour": hour.isoformat(), "sessions": len(by_hour[hour]), "service": mean})
    return out
