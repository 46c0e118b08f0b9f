"""Telling people about alerts: new alerts go to the subscribers of their scope and severity,
unacknowledged ones escalate to the second group, and neither a restart nor a flapping device
floods anyone.

- **Restart grace.** For ``restart_grace_s`` after the fleet's MQTT link came up (a fleet or
  broker restart), ``offline`` alerts are opened and shown but nobody is notified: devices are
  still coming back. The held-back count is kept on the alert.
- **Flapping.** An alert of a device and rule that closed within ``flap_window_s`` and opens
  again notifies nobody (counted the same way).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from fleet.alerts import store
from fleet.alerts.models import Alert
from fleet.notify.outbox import Message, queue


@dataclass(frozen=True)
class AlertPolicy:
    """How alerts become notifications (fleet settings ``[notify]``)."""

    escalate_after_min: float = 30.0
    restart_grace_s: float = 600.0
    flap_window_s: float = 1800.0


def _message(alert: Alert, station_id: str | None, topic: str) -> Message:
    device = alert.device_id  # type: ignore[attr-defined]
    where = f" at {station_id}" if station_id else ""
    prefix = "Not acknowledged: " if topic == "escalation" else ""
    return Message(
        topic=topic,
        object_id=str(alert.id),
        severity=alert.severity,
        station_id=station_id,
        subject=f"{prefix}[{alert.severity}] {device}{where}: {alert.rule}",
        body=f"{alert.message} (alert {alert.id}, opened {alert.opened_at.isoformat()})",
    )


async def notify_opened(
    opened: list[tuple[Alert, str | None]],
    policy: AlertPolicy,
    now: datetime,
    link_up_since: datetime | None,
) -> int:
    """Queue notifications for newly opened alerts; return how many alerts were held back."""
    held = 0
    in_grace = link_up_since is None or now - link_up_since < timedelta(
        seconds=policy.restart_grace_s
    )
    flap_since = now - timedelta(seconds=policy.flap_window_s)
    for alert, station_id in opened:
        device = alert.device_id  # type: ignore[attr-defined]
        flapping = await store.closed_recently(device, alert.rule, flap_since)
        if (alert.rule == "offline" and in_grace) or flapping:
            await store.count_suppressed(alert)
            held += 1
            continue
        await queue(_message(alert, station_id, "alert"), now)
    return held


async def escalate(policy: AlertPolicy, now: datetime) -> int:
    """Send alerts nobody acknowledged in time to the escalation group; return how many."""
    before = now - timedelta(minutes=policy.escalate_after_min)
    n = 0
    for alert in await store.unacknowledged_since(before):
        if await store.mark_escalated(alert, now):
            station_id = await store.station_of_alert(alert)
            await queue(_message(alert, station_id, "escalation"), now, escalation=True)
            n += 1
    return n
