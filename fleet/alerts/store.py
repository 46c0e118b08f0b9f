"""Alerts as stored: opened and closed by the health rules, and what other capabilities may ask
of them (views, which devices have open ones)."""

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from fleet.alerts.models import Alert, AlertNote
from fleet.devices.registry import iso, station_of


def alert_view(a: Alert) -> dict[str, Any]:
    """The JSON shape of an alert in the API."""
    return {
        "id": a.id,
        "device": a.device_id,  # type: ignore[attr-defined]
        "rule": a.rule,
        "severity": a.severity,
        "message": a.message,
        "opened_at": iso(a.opened_at),
        "closed_at": iso(a.closed_at),
        "acknowledged_at": iso(a.acknowledged_at),
        "acknowledged_by": a.acknowledged_by,
        "resolved_by": a.resolved_by,
        "escalated_at": iso(a.escalated_at),
        "suppressed_notifications": a.suppressed,
    }


async def open_alert_views(device_id: str) -> list[dict[str, Any]]:
    """A device's open alerts, oldest first."""
    rows = await Alert.filter(device_id=device_id, closed_at=None).order_by("id")
    return [alert_view(a) for a in rows]


def devices_alerting() -> Subquery:
    """A subquery of the ids of devices with an open alert (for filtering device lists)."""
    return Subquery(Alert.filter(closed_at=None).values("device_id"))


async def open_by_device() -> dict[str, dict[str, Alert]]:
    """Every open alert, by device and rule (one query for a whole health check)."""
    out: dict[str, dict[str, Alert]] = {}
    for a in await Alert.filter(closed_at=None):
        out.setdefault(a.device_id, {})[a.rule] = a  # type: ignore[attr-defined]
    return out


async def sync_alerts(
    device_id: str,
    findings: dict[str, tuple[str, str]],
    now: datetime,
    open_alerts: dict[str, Alert] | None = None,
) -> list[Alert]:
    """Open alerts for new findings, close those whose rule cleared; return the alerts this
    call opened. ``open_alerts``: the device's open alerts by rule when the caller has them.
    One open alert per device and rule is kept by the database (``open_key`` is unique), so
    two instances checking the same device open it once."""
    if open_alerts is None:
        open_alerts = {a.rule: a for a in await Alert.filter(device_id=device_id, closed_at=None)}
    opened = []
    for rule, (severity, message) in findings.items():
        if rule in open_alerts:
            continue
        try:
            alert = await Alert.create(
                device_id=device_id,
                rule=rule,
                severity=severity,
                message=message[:1000],
                opened_at=now,
                open_key=f"{device_id}/{rule}",
            )
        except IntegrityError:
            continue  # another instance opened it a moment ago
        opened.append(alert)
    for rule, alert in open_alerts.items():
        if rule not in findings:
            await Alert.filter(id=alert.id, closed_at=None).update(closed_at=now, open_key=None)
    return opened


async def get(alert_id: int) -> Alert | None:
    """One alert."""
    return await Alert.get_or_none(id=alert_id)


async def station_of_alert(alert: Alert) -> str | None:
    """The station of the alert's device."""
    return await station_of(alert.device_id)  # type: ignore[attr-defined]


async def acknowledge(alert: Alert, by: str, now: datetime) -> Alert:
    """Someone has seen it (stops its escalation); acknowledging twice keeps the first."""
    await Alert.filter(id=alert.id, acknowledged_at=None).update(
        acknowledged_at=now, acknowledged_by=by
    )
    await alert.refresh_from_db()
    return alert


async def resolve(alert: Alert, by: str, now: datetime) -> Alert:
    """Close an alert by hand (if its rule still fires, the next check opens a new one)."""
    await Alert.filter(id=alert.id, closed_at=None).update(
        closed_at=now, open_key=None, resolved_by=by
    )
    await alert.refresh_from_db()
    return alert


async def comment(alert: Alert, by: str, text: str, now: datetime) -> AlertNote:
    """Add a comment."""
    return await AlertNote.create(alert=alert, at=now, author=by, text=text)


async def notes(alert: Alert) -> list[dict[str, Any]]:
    """An alert's comments, oldest first."""
    rows = await AlertNote.filter(alert=alert).order_by("id")
    return [{"at": iso(n.at), "author": n.author, "text": n.text} for n in rows]


async def unacknowledged_since(before: datetime) -> list[Alert]:
    """Open alerts opened before ``before``, neither acknowledged nor escalated yet."""
    return await Alert.filter(
        closed_at=None, acknowledged_at=None, escalated_at=None, opened_at__lt=before
    ).limit(500)


async def mark_escalated(alert: Alert, now: datetime) -> bool:
    """Mark an alert escalated; False when another instance did it first."""
    return bool(await Alert.filter(id=alert.id, escalated_at=None).update(escalated_at=now))


async def count_suppressed(alert: Alert, n: int = 1) -> None:
    """Count notifications held back for an alert (shown with it)."""
    alert.suppressed += n
    await Alert.filter(id=alert.id).update(suppressed=alert.suppressed)


async def closed_recently(device_id: str, rule: str, since: datetime) -> bool:
    """Was an alert of this device and rule closed since ``since`` (it is flapping)?"""
    return await Alert.filter(device_id=device_id, rule=rule, closed_at__gte=since).exists()


def _scoped(qs: QuerySet[Alert], stations: frozenset[str] | None) -> QuerySet[Alert]:
    return qs if stations is None else qs.filter(device__station_id__in=sorted(stations))


async def open_counts(stations: frozenset[str] | None) -> dict[str, int]:
    """Open alerts by severity, for the devices at ``stations`` (None: all)."""
    qs = _scoped(Alert.filter(closed_at=None), stations)
    rows = await qs.annotate(n=Count("id")).group_by("severity").values("severity", "n")
    return {str(r["severity"]): int(r["n"]) for r in rows}


async def page_of(
    stations: frozenset[str] | None, state: str, before: int | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of alert views, newest first: ``state`` open, closed or all."""
    qs = _scoped(Alert.all(), stations)
    if state != "all":
        qs = qs.filter(closed_at__isnull=state == "open")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = await qs.order_by("-id").limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return [alert_view(a) for a in rows], (str(rows[-1].id) if more else None)


async def open_by_station(stations: frozenset[str] | None) -> dict[str, int]:
    """Open alerts per station (of the devices at ``stations``; None: all)."""
    qs = _scoped(Alert.filter(closed_at=None), stations)
    grouped = qs.annotate(n=Count("id")).group_by("device__station_id")
    rows = await grouped.values_list("device__station_id", "n")
    return {str(s): int(n) for s, n in rows if s is not None}
