"""Telemetry retention: raw reports become hourly aggregates; old aggregates expire."""

import logging
from datetime import datetime
from typing import Any

from fleet.devices.models import Telemetry, TelemetryHourly
from fleet.transaction import transaction

log = logging.getLogger("fleet.retention")

_BATCH = 5000


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def fold(stats: dict[str, list[float]], data: dict[str, Any]) -> None:
    """Add one report's numeric fields to ``{field: [n, min, max, sum]}``."""
    for key, value in data.items():
        if key in ("seq", "ts", "uptime_s") or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            s = stats.get(key)
            if s is None:
                stats[key] = [1, value, value, value]
            else:
                s[0] += 1
                s[1] = min(s[1], value)
                s[2] = max(s[2], value)
                s[3] += value


def merge(a: dict[str, list[float]], b: dict[str, list[float]]) -> dict[str, list[float]]:
    """Merge two aggregates of the same hour."""
    out = {k: list(v) for k, v in a.items()}
    for k, v in b.items():
        if k in out:
            o = out[k]
            out[k] = [o[0] + v[0], min(o[1], v[1]), max(o[2], v[2]), o[3] + v[3]]
        else:
            out[k] = list(v)
    return out


async def downsample(older_than: datetime) -> int:
    """Fold raw telemetry received before ``older_than`` into hourly rows; return rows folded."""
    total = 0
    while True:
        rows = await Telemetry.filter(received_at__lt=older_than).order_by("id").limit(_BATCH)
        if not rows:
            return total
        groups: dict[tuple[str, datetime], tuple[int, dict[str, list[float]]]] = {}
        for r in rows:
            key = (r.device_id, _hour(r.received_at))  # type: ignore[attr-defined]
            n, stats = groups.get(key, (0, {}))
            fold(stats, r.data)
            groups[key] = (n + 1, stats)
        async with transaction():
            for (device_id, hour), (n, stats) in groups.items():
                row = await TelemetryHourly.get_or_none(device_id=device_id, hour=hour)
                if row is None:
                    await TelemetryHourly.create(
                        device_id=device_id, hour=hour, count=n, stats=stats
                    )
                else:
                    row.count += n
                    row.stats = merge(row.stats, stats)
                    await row.save(update_fields=["count", "stats"])
            await Telemetry.filter(id__in=[r.id for r in rows]).delete()
        total += len(rows)


async def expire_hourly(older_than: datetime) -> int:
    """Delete hourly aggregates older than ``older_than``."""
    return await TelemetryHourly.filter(hour__lt=older_than).delete()
