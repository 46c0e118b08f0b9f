"""Alerts: a health rule firing for a device.

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from fleet.devices.models import Device


class Alert(Model):
    """A health rule firing for a device; closed when the rule clears."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation["Device"] = fields.ForeignKeyField(
        "models.Device", related_name="alerts", db_index=True
    )
    rule = fields.CharField(max_length=32)
    severity = fields.CharField(max_length=8)
    message = fields.TextField()
    opened_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True, db_index=True)
    # "<device>/<rule>" while open, NULL once closed: the unique constraint is what keeps one
    # open alert per device and rule, whichever instance opens it (NULLs never collide).
    open_key = fields.CharField(max_length=80, null=True, unique=True)
    acknowledged_at = fields.DatetimeField(null=True)
    acknowledged_by = fields.CharField(max_length=64, null=True)
    resolved_by = fields.CharField(max_length=64, null=True)  # None: the rule cleared
    escalated_at = fields.DatetimeField(null=True)
    # Notifications held back for this alert (a restart's grace period, flapping).
    suppressed = fields.IntField(default=0)

    class Meta:
        table = "alert"


class AlertNote(Model):
    """A comment on an alert."""

    id = fields.BigIntField(primary_key=True)
    alert: fields.ForeignKeyRelation[Alert] = fields.ForeignKeyField(
        "models.Alert", related_name="notes", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    author = fields.CharField(max_length=64)
    text = fields.TextField()

    class Meta:
        table = "alert_note"
