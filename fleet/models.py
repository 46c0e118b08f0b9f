"""Database models of the fleet (tortoise-orm). SQLite by default, PostgreSQL by URL.

Hierarchy: organisation -> region -> station -> device. Everything a device says is kept as
received (telemetry raw for a retention window, then hourly aggregates; events; command results);
recordings are rows pointing at objects in the object store.
"""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Organisation(Model):
    """A chain of stations (the tenant)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    regions: fields.ReverseRelation["Region"]

    class Meta:
        table = "organisation"


class Region(Model):
    """A group of stations inside an organisation."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="regions"
    )
    name = fields.CharField(max_length=100)

    class Meta:
        table = "region"
        unique_together = (("organisation", "name"),)


class Station(Model):
    """A gas station: where devices work, with its local opening hours."""

    id = fields.CharField(max_length=64, primary_key=True)
    region: fields.ForeignKeyNullableRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="stations", null=True
    )
    name = fields.CharField(max_length=100, default="")
    timezone = fields.CharField(max_length=64, default="UTC")
    # Local opening hours "HH:MM-HH:MM" (may wrap past midnight); empty = always open.
    opening_hours = fields.CharField(max_length=11, default="")

    class Meta:
        table = "station"


class Device(Model):
    """A registered badge or kiosk and its latest known state."""

    id = fields.CharField(max_length=32, primary_key=True)
    kind = fields.CharField(max_length=8)
    station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="devices", null=True, db_index=True
    )
    hw = fields.CharField(max_length=32, default="")
    fw = fields.CharField(max_length=32, default="")
    cert_fingerprint = fields.CharField(max_length=95, null=True)
    tags: Any = fields.JSONField(default=list)  # as registered; DeviceTag indexes them
    # Presence (fleet/presence.py): online and why it last changed.
    online = fields.BooleanField(default=False, db_index=True)
    status_reason = fields.CharField(max_length=64, default="")
    status_at = fields.DatetimeField(null=True)
    last_seen = fields.DatetimeField(null=True)
    keepalive_s = fields.IntField(null=True)
    boot = fields.BigIntField(null=True)
    flaps = fields.IntField(default=0)
    last_tele: Any = fields.JSONField(null=True)
    # Facts the health rules need beyond the last report (fleet/health.py).
    last_charging_at = fields.DatetimeField(null=True)
    last_recording_at = fields.DatetimeField(null=True)
    worn_since = fields.DatetimeField(null=True)
    health: Any = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

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


class Upload(Model):
    """A recording being received: its manifest, until every chunk is held and verified."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="uploads"
    )
    rec_id = fields.CharField(max_length=40)
    manifest: Any = fields.JSONField()
    received = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "upload"
        unique_together = (("device", "rec_id"),)


class UploadChunk(Model):
    """One durable chunk of an upload (staged in the database until the recording is whole)."""

    id = fields.BigIntField(primary_key=True)
    upload: fields.ForeignKeyRelation[Upload] = fields.ForeignKeyField(
        "models.Upload", related_name="chunks", on_delete=fields.CASCADE
    )
    index = fields.IntField()
    data = fields.BinaryField()

    class Meta:
        table = "upload_chunk"
        unique_together = (("upload", "index"),)


class Recording(Model):
    """A whole, verified recording and where its bytes are."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="recordings", db_index=True
    )
    station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="recordings", null=True, db_index=True
    )
    rec_id = fields.CharField(max_length=40)
    start = fields.DatetimeField(null=True, db_index=True)
    duration_ms = fields.BigIntField()
    codec = fields.CharField(max_length=16)
    rate = fields.IntField()
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    object_key = fields.CharField(max_length=200, unique=True)
    worn_session = fields.CharField(max_length=40, null=True)
    kiosk_session = fields.CharField(max_length=40, null=True)
    # Its last preroll_ms came just before kiosk session preroll_session began (the badge
    # split there when the kiosk's confirmed start arrived): that session's first seconds.
    preroll_session = fields.CharField(max_length=40, null=True, db_index=True)
    preroll_ms = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    # The noise-suppressed copy for speech recognition (fleet/enhance.py): its object key once
    # made, or why it could not be made; both empty while it is pending.
    enhanced_key = fields.CharField(max_length=200, null=True)
    enhance_error = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "recording"
        unique_together = (("device", "rec_id"),)


class Alert(Model):
    """A health rule firing for a device; closed when the rule clears."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="alerts", db_index=True
    )
    rule = fields.CharField(max_length=32)
    severity = fields.CharField(max_length=8)
    message = fields.TextField()
    opened_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "alert"


class User(Model):
    """A person or service using the fleet (access control comes with the dashboard)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    role = fields.CharField(max_length=16, default="viewer")
    cert_fingerprint = fields.CharField(max_length=95, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user"
