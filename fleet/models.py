"""Database models of the fleet (tortoise-orm). SQLite by default, PostgreSQL by URL."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Device(Model):
    """A registered badge or kiosk and its latest known state."""

    id = fields.CharField(max_length=32, primary_key=True)
    kind = fields.CharField(max_length=8)
    station = fields.CharField(max_length=64, default="")
    hw = fields.CharField(max_length=32, default="")
    fw = fields.CharField(max_length=32, default="")
    online = fields.BooleanField(default=False)
    status_reason = fields.CharField(max_length=64, default="")
    status_at = fields.DatetimeField(null=True)
    last_seen = fields.DatetimeField(null=True)
    keepalive_s = fields.IntField(null=True)
    boot = fields.BigIntField(null=True)
    last_tele: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "device"


class Telemetry(Model):
    """One telemetry message as received (device fields kept as JSON)."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="telemetry", db_index=True
    )
    received_at = fields.DatetimeField(db_index=True)
    seq = fields.BigIntField()
    ts = fields.BigIntField(null=True)
    data: Any = fields.JSONField()

    class Meta:
        table = "telemetry"


class Event(Model):
    """One device event as received."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="events", db_index=True
    )
    received_at = fields.DatetimeField(db_index=True)
    seq = fields.BigIntField()
    ts = fields.BigIntField(null=True)
    type = fields.CharField(max_length=16)
    data: Any = fields.JSONField()

    class Meta:
        table = "event"


class CommandResult(Model):
    """A device's answer to a command."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="command_results"
    )
    received_at = fields.DatetimeField()
    command_id = fields.CharField(max_length=40)
    ok = fields.BooleanField()
    result: Any = fields.JSONField()
    error = fields.TextField(null=True)

    class Meta:
        table = "command_result"
