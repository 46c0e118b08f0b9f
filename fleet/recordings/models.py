"""Recordings: uploads being received (staged chunks) and whole, verified recordings.

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from fleet.devices.models import Device
    from fleet.hierarchy.models import Station


class Upload(Model):
    """A recording being received: its manifest, until every chunk is held and verified."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation["Device"] = fields.ForeignKeyField(
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
    device: fields.ForeignKeyRelation["Device"] = fields.ForeignKeyField(
        "models.Device", related_name="recordings", db_index=True
    )
    station: fields.ForeignKeyNullableRelation["Station"] = fields.ForeignKeyField(
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
    # The noise-suppressed copy for speech recognition (fleet/recordings/enhance.py): its
    # object key once made, or why it could not be made; both empty while it is pending.
    enhanced_key = fields.CharField(max_length=200, null=True)
    enhance_error = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "recording"
        unique_together = (("device", "rec_id"),)
