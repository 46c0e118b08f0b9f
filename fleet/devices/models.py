"""Devices and what they say: the registry row with live state, tags, telemetry (raw and
hourly), events and commands.

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from fleet.hierarchy.models import Station


class Device(Model):
    """A registered badge or kiosk and its latest known state."""

    id = fields.CharField(max_length=32, primary_key=True)
    kind = fields.CharField(max_length=8)
    station: fields.ForeignKeyNullableRelation["Station"] = fields.ForeignKeyField(
        "models.Station", related_name="devices", null=True, db_index=True
    )
    hw = fields.CharField(max_length=32, default="")
    fw = fields.CharField(max_length=32, default="")
    cert_fingerprint = fields.CharField(max_length=95, null=True)
    tags: Any = fields.JSONField(default=list)  # as registered; DeviceTag indexes them
    # Presence (fleet/devices/presence.py): online and why it last changed.
    online = fields.BooleanField(default=False, db_index=True)
    status_reason = fields.CharField(max_length=64, default="")
    status_at = fields.DatetimeField(null=True)
    last_seen = fields.DatetimeField(null=True)
    # last_seen + 1.5 x keepalive: when it is silent unless heard again (what the sweep reads)
    silent_at = fields.DatetimeField(null=True, db_index=True)
    keepalive_s = fields.IntField(null=True)
    boot = fields.BigIntField(null=True)
    flaps = fields.IntField(default=0)
    last_tele: Any = fields.JSONField(null=True)
    # Facts the health rules need beyond the last report (fleet/alerts/rules.py).
    last_charging_at = fields.DatetimeField(null=True)
    last_recording_at = fields.DatetimeField(null=True)
    worn_since = fields.DatetimeField(null=True)
    health: Any = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Taken out of service: its certificate revoked, its ACL entry gone, its messages refused;
    # its history (telemetry, events, recordings) is kept.
    decommissioned_at = fields.DatetimeField(null=True)

    class Meta:
        table = "device"


class DeviceTag(Model):
    """One of a device's tags, for finding devices by tag in SQL (``Device.tags`` is JSON,
    which SQLite and PostgreSQL query differently)."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="tag_rows"
    )
    tag = fields.CharField(max_length=32, db_index=True)

    class Meta:
        table = "device_tag"
        unique_together = (("device", "tag"),)


class Telemetry(Model):
    """One telemetry message as received (device fields kept as JSON); stored once per
    (device, boot, seq) when the device names its boot (a QoS 1 copy after a reconnect is
    left out)."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="telemetry", db_index=True
    )
    received_at = fields.DatetimeField(db_index=True)
    boot = fields.BigIntField(null=True)  # null: a device that does not say (older firmware)
    seq = fields.BigIntField()
    ts = fields.BigIntField(null=True)
    data: Any = fields.JSONField()

    class Meta:
        table = "telemetry"
        unique_together = (("device", "boot", "seq"),)


class TelemetryHourly(Model):
    """Telemetry downsampled per device and hour: for each numeric field n, min, max, sum."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="telemetry_hourly"
    )
    hour = fields.DatetimeField()
    count = fields.IntField()
    stats: Any = fields.JSONField()

    class Meta:
        table = "telemetry_hourly"
        unique_together = (("device", "hour"),)


class Event(Model):
    """One device event as received; stored once per (device, boot, seq) as telemetry is."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="events", db_index=True
    )
    received_at = fields.DatetimeField(db_index=True)
    boot = fields.BigIntField(null=True)
    seq = fields.BigIntField()
    ts = fields.BigIntField(null=True)
    type = fields.CharField(max_length=16)
    data: Any = fields.JSONField()

    class Meta:
        table = "event"
        unique_together = (("device", "boot", "seq"),)


class Command(Model):
    """A command to a device: queued, sent over MQTT, answered (or expired)."""

    id = fields.CharField(max_length=40, primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="commands", db_index=True
    )
    op = fields.CharField(max_length=16)
    args: Any = fields.JSONField(default=dict)
    state = fields.CharField(max_length=8, default="queued", db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)
    ok = fields.BooleanField(null=True)
    result: Any = fields.JSONField(null=True)
    error = fields.TextField(null=True)

    class Meta:
        table = "command"
