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
    rollout_id = fields.BigIntField(null=True, db_index=True)  # Rollout.id, when one sent it
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


class Rollout(Model):
    """A release rolled out to a target in waves; its state machine's persisted state
    (fleet/updates/rollouts.py advances it)."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=100)
    release: fields.ForeignKeyRelation[Release] = fields.ForeignKeyField(
        "models.Release", related_name="rollouts"
    )
    # {"scope": "all" | "organisation:ID" | "region:ID" | "station:ID", "tags": [...],
    #  "hw": [...], "versions": [...]}: which devices (of the release's kind)
    target: Any = fields.JSONField()
    waves: Any = fields.JSONField()  # [{"pct": 5}, {"count": 20}, {"pct": 100}]: cumulative
    wave_gap_s = fields.IntField(default=3600)  # a wave starts at least this after the last
    window: Any = fields.JSONField(default=dict)  # maintenance windows (rollouts.in_window)
    success_pct = fields.IntField(default=90)  # a wave's share healthy to go on
    error_pct = fields.IntField(default=10)  # a wave's share failed to pause
    gate: Any = fields.JSONField(default=dict)  # the health gate's settings ({} = defaults)
    # running -> paused (by hand, a threshold or the health gate) -> running ...;
    # completed, aborted
    state = fields.CharField(max_length=16, default="running", db_index=True)
    reason = fields.CharField(max_length=256, default="")
    wave = fields.IntField(default=0)  # the wave being rolled out (0-based)
    wave_started_at = fields.DatetimeField(null=True)
    health: Any = fields.JSONField(default=dict)  # the last health comparison, as shown
    created_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    evaluated_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "rollout"


class RolloutLog(Model):
    """What a rollout did and why (waves started, pauses, resumes), for its page."""

    id = fields.BigIntField(primary_key=True)
    rollout: fields.ForeignKeyRelation[Rollout] = fields.ForeignKeyField(
        "models.Rollout", related_name="log", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    text = fields.CharField(max_length=300)

    class Meta:
        table = "rollout_log"
