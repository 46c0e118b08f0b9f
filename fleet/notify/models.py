"""Notifications: who wants to hear of what (subscriptions), and every delivery attempt with its
result (the outbox the sender works through, with retries and back-off).

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from fleet.office.models import User


class Subscription(Model):
    """A user's wish to be told, on one channel, of alerts in a scope from a severity up."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="subscriptions", on_delete=fields.CASCADE
    )
    channel = fields.CharField(max_length=8)  # email, sms, webhook
    address = fields.CharField(max_length=300)  # mailbox, phone number or URL
    min_severity = fields.CharField(max_length=8, default="warning")
    scope_kind = fields.CharField(max_length=12, default="all")
    scope_id = fields.CharField(max_length=64, default="")
    escalation = fields.BooleanField(default=False)  # the second group: unacknowledged alerts
    quiet_hours = fields.CharField(max_length=11, default="")  # "HH:MM-HH:MM", local
    timezone = fields.CharField(max_length=64, default="UTC")
    max_per_hour = fields.IntField(default=20)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "notify_subscription"


class Delivery(Model):
    """One notification to one address: pending until sent, retried with back-off, failed
    after its attempts ran out, or suppressed (quiet hours, rate limit) with the reason."""

    id = fields.BigIntField(primary_key=True)
    subscription: fields.ForeignKeyNullableRelation[Subscription] = fields.ForeignKeyField(
        "models.Subscription", related_name="deliveries", null=True, on_delete=fields.SET_NULL
    )
    topic = fields.CharField(max_length=16)  # alert, escalation
    object_id = fields.CharField(max_length=64, db_index=True)
    channel = fields.CharField(max_length=8)
    address = fields.CharField(max_length=300)
    subject = fields.CharField(max_length=200)
    body = fields.TextField()
    state = fields.CharField(max_length=10, default="pending", db_index=True)
    attempts = fields.IntField(default=0)
    next_try_at = fields.DatetimeField(db_index=True)
    last_error = fields.CharField(max_length=300, null=True)
    # every attempt: {"at": ISO time, "ok": bool, "error": str | None}
    log: Any = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notify_delivery"
        unique_together = (("topic", "object_id", "subscription"),)
