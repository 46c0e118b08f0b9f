"""Who is told of what: matching an alert to subscriptions (severity, scope, the subscriber's
own grants), quiet hours and rate limits, written as deliveries for the sender.

A delivery is unique per (topic, object, subscription), so an alert queued by two instances is
sent once."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError

from crmsensor.errors import ConfigError
from fleet.hierarchy.stations import stations_under
from fleet.notify.models import Delivery, Subscription
from fleet.office import accounts
from fleet.office.access import Principal, Scope

SEVERITIES = ("info", "warning", "critical")
CHANNELS = ("email", "sms", "webhook")


@dataclass(frozen=True)
class Message:
    """What to tell: a topic (``alert``, ``escalation``), the object, the severity and where."""

    topic: str
    object_id: str
    severity: str
    station_id: str | None
    subject: str
    body: str
    section: str = "alerts"  # a subscriber must be allowed to view this section at the station


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])


def quiet_until(quiet_hours: str, tz: str, now: datetime) -> datetime | None:
    """When the quiet hours around ``now`` end (None: not in quiet hours)."""
    if not quiet_hours:
        return None
    try:
        local = now.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        local = now
    a, b = _minutes(quiet_hours[:5]), _minutes(quiet_hours[6:])
    m = local.hour * 60 + local.minute
    inside = a <= m < b if a <= b else m >= a or m < b
    if not inside:
        return None
    ahead = (b - m) % (24 * 60)
    return (
        (local + timedelta(minutes=ahead)).replace(second=0, microsecond=0).astimezone(now.tzinfo)
    )


async def _covers(s: Subscription, station_id: str | None) -> bool:
    if s.scope_kind == "all":
        return True
    return station_id is not None and station_id in await stations_under(s.scope_kind, s.scope_id)


async def queue(message: Message, now: datetime, escalation: bool = False) -> int:
    """Write the deliveries of ``message`` for every matching subscription; return how many
    will be sent (held for quiet hours included, rate-limited ones not)."""
    rank = SEVERITIES.index(message.severity) if message.severity in SEVERITIES else 0
    subs = await Subscription.filter(active=True, escalation=escalation).prefetch_related("user")
    queued = 0
    for s in subs:
        if rank < SEVERITIES.index(s.min_severity) or s.user.disabled:
            continue
        if not await _covers(s, message.station_id):
            continue
        who = Principal(s.user.id, s.user.name, "notify", await accounts.grants_of(s.user.id))
        if not await who.can(message.section, "view", message.station_id):
            continue  # a subscription never reaches past its user's own scope
        state, error, at = "pending", None, now
        held = quiet_until(s.quiet_hours, s.timezone, now)
        if held is not None:
            at = held
        recent = (
            await Delivery.filter(subscription=s, created_at__gte=now - timedelta(hours=1))
            .exclude(state="suppressed")
            .count()
        )
        if recent >= s.max_per_hour:
            state, error = "suppressed", f"rate limit: {s.max_per_hour} an hour"
        try:
            await Delivery.create(
                subscription=s, topic=message.topic, object_id=message.object_id,
                channel=s.channel, address=s.address, subject=message.subject[:200],
                body=message.body, state=state, next_try_at=at, last_error=error,
            )  # fmt: skip
        except IntegrityError:
            continue  # queued already (by another instance)
        queued += state == "pending"
    return queued


def subscription_view(s: Subscription) -> dict[str, Any]:
    """The JSON shape of a subscription."""
    return {
        "id": s.id,
        "channel": s.channel,
        "address": s.address,
        "min_severity": s.min_severity,
        "scope": str(Scope(s.scope_kind, s.scope_id)),
        "escalation": s.escalation,
        "quiet_hours": s.quiet_hours,
        "timezone": s.timezone,
        "max_per_hour": s.max_per_hour,
        "active": s.active,
    }


async def subscribe(
    user_id: int,
    channel: str,
    address: str,
    min_severity: str = "warning",
    scope: Scope | None = None,
    escalation: bool = False,
    quiet_hours: str = "",
    timezone: str = "UTC",
    max_per_hour: int = 20,
) -> Subscription:
    """Add a subscription; :class:`ConfigError` names a bad field."""
    if channel not in CHANNELS:
        raise ConfigError(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    if min_severity not in SEVERITIES:
        raise ConfigError(f"min_severity must be one of {', '.join(SEVERITIES)}")
    if channel == "webhook" and not address.startswith(("http://", "https://")):
        raise ConfigError("a webhook address is an http:// or https:// URL")
    if channel == "email" and "@" not in address:
        raise ConfigError("an email address needs an @")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {timezone!r}") from None
    if not 1 <= max_per_hour <= 10_000:
        raise ConfigError("max_per_hour must be 1-10000")
    where = scope or Scope()
    return await Subscription.create(
        user_id=user_id, channel=channel, address=address, min_severity=min_severity,
        scope_kind=where.kind, scope_id=where.id, escalation=escalation,
        quiet_hours=quiet_hours, timezone=timezone, max_per_hour=max_per_hour,
    )  # fmt: skip


def delivery_view(d: Delivery) -> dict[str, Any]:
    """The JSON shape of a delivery attempt record."""
    return {
        "topic": d.topic,
        "channel": d.channel,
        "address": d.address,
        "state": d.state,
        "attempts": d.attempts,
        "last_error": d.last_error,
        "created_at": d.created_at.isoformat(),
        "sent_at": d.sent_at.isoformat() if d.sent_at else None,
        "log": d.log,
    }


async def deliveries_of(topic_prefix: str, object_id: str) -> list[dict[str, Any]]:
    """Every delivery of an object (an alert's notifications and escalations)."""
    rows = await Delivery.filter(object_id=object_id, topic__startswith=topic_prefix).order_by("id")
    return [delivery_view(d) for d in rows]
