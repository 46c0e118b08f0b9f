"""Releases and deliveries.

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from fleet.devices.models import Device


class Release(Model):
    """A signed release: its manifest exactly as signed, the signature, where the bundle is."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # badge-app, badge-image, kiosk-wheel
    version = fields.CharField(max_length=32)
    hw: Any = fields.JSONField()  # hardware revisions it runs on
    min_version = fields.CharField(max_length=32)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    key_id = fields.CharField(max_length=16)
    manifest = fields.TextField()  # the signed bytes (ASCII JSON)
    signature = fields.CharField(max_length=512)  # hex
    object_key = fields.CharField(max_length=200)
    notes = fields.TextField(default="")
    uploaded_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    yanked_at = fields.DatetimeField(null=True)
    yank_reason = fields.CharField(max_length=200, default="")

    updates: fields.ReverseRelation["DeviceUpdate"]

    class Meta:
        table = "release"
        unique_together = (("kind", "version"),)


class DeviceUpdate(Model):
    """One device told to install one release: its download token, the command that told it,
    and the last progress it reported (``ota`` events)."""

    id = fields.BigIntField(primary_key=True)
    release: fields.ForeignKeyRelation[Release] = fields.ForeignKeyField(
        "models.Release", related_name="updates"
    )
    device: fields.ForeignKeyRelation["Device"] = fields.ForeignKeyField(
        "models.Device", related_name="updates", db_index=True
    )
    rollout_id = fields.BigIntField(null=True, db_index=True)
    token = fields.CharField(max_length=64, unique=True)
    command_id = fields.CharField(max_length=40, null=True)
    from_version = fields.CharField(max_length=32, default="")
    # queued -> sent -> downloading, verifying, applying, rebooting -> healthy, or
    # rolled_back / error (reported) / failed (silent past its deadline) / cancelled (yanked)
    state = fields.CharField(max_length=16, default="queued", db_index=True)
    pct = fields.IntField(default=0)
    reason = fields.CharField(max_length=256, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    deadline = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "device_update"
