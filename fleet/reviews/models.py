"""Checklist templates (versioned), reviews and their appeals.

tortoise-orm models. Every capability's models form one tortoise app, ``models``."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class ChecklistTemplate(Model):
    """One version of a checklist template; an edit is a new row (``family``, ``version``+1)
    and a filled checklist keeps the version it was filled with."""

    id = fields.BigIntField(primary_key=True)
    family = fields.CharField(max_length=40)
    version = fields.IntField()
    name = fields.CharField(max_length=100)
    service_type = fields.CharField(max_length=20)
    doc: Any = fields.JSONField()  # the template as fleet/reviews/checklists.py reads it
    created_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "checklist_template"
        unique_together = (("family", "version"),)


class Review(Model):
    """A filled checklist for one service (a kiosk session at a station)."""

    id = fields.BigIntField(primary_key=True)
    template: fields.ForeignKeyRelation[ChecklistTemplate] = fields.ForeignKeyField(
        "models.ChecklistTemplate", related_name="reviews"
    )
    station_id = fields.CharField(max_length=64, db_index=True)
    # the service reviewed (its clip, its kiosk times); null for a review entered without one
    service: fields.ForeignKeyNullableRelation["Service"] = fields.ForeignKeyField(
        "models.Service", related_name="reviews", null=True, on_delete=fields.SET_NULL
    )
    kiosk_session = fields.CharField(max_length=40, default="")
    device_id = fields.CharField(max_length=32, default="")  # the badge whose clip it was
    staff = fields.CharField(max_length=64, default="")
    answers: Any = fields.JSONField()
    comments: Any = fields.JSONField(default=list)  # [{"t_s", "text", "by"}]
    msi = fields.FloatField(null=True)
    failed_critical: Any = fields.JSONField(default=list)
    # final, or under_appeal while an appeal is open
    state = fields.CharField(max_length=16, default="final", db_index=True)
    reviewer = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "review"


class Appeal(Model):
    """A station's appeal of a review and its resolution; every step is kept."""

    id = fields.BigIntField(primary_key=True)
    review: fields.ForeignKeyRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="appeals"
    )
    by = fields.CharField(max_length=64)
    comment = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    state = fields.CharField(max_length=16, default="open")  # open, upheld, changed
    resolver = fields.CharField(max_length=64, default="")
    resolution = fields.TextField(default="")
    before: Any = fields.JSONField(null=True)  # the answers and MSI a change replaced
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "appeal"


class Service(Model):
    """One customer's service: a kiosk session at a station, its wall edges fitted from the
    kiosk's clock, and the state of its clip (fleet/reviews/service_clips.py)."""

    id = fields.BigIntField(primary_key=True)
    station_id = fields.CharField(max_length=64, db_index=True)
    kiosk_id = fields.CharField(max_length=32)
    session = fields.CharField(max_length=40)
    roi = fields.CharField(max_length=40, default="")
    start = fields.DatetimeField(db_index=True)
    end = fields.DatetimeField()
    duration_s = fields.FloatField()
    end_event = fields.BigIntField(db_index=True)  # the session_end event's row: the job's cursor
    # pending (not tried yet), waiting (audio may still come), ready, no_audio (final)
    clip_state = fields.CharField(max_length=12, default="pending", db_index=True)
    clip_reason = fields.CharField(max_length=300, default="")
    next_try_at = fields.DatetimeField(null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "service"
        unique_together = (("kiosk_id", "session"),)


class ServiceClip(Model):
    """A service's clip from one badge, in the object store: the session with its pre-roll
    and post-roll, and where the session's edges fall in it."""

    id = fields.BigIntField(primary_key=True)
    service: fields.ForeignKeyRelation[Service] = fields.ForeignKeyField(
        "models.Service", related_name="clips", on_delete=fields.CASCADE
    )
    device_id = fields.CharField(max_length=32)
    staff = fields.CharField(max_length=64, default="")
    object_key = fields.CharField(max_length=200, unique=True)
    size = fields.BigIntField()
    rate = fields.IntField()
    duration_s = fields.FloatField()
    start_at_s = fields.FloatField()  # the session's start, seconds into the clip
    end_at_s = fields.FloatField()
    covered = fields.FloatField()  # share of the session the badge recorded
    recordings: Any = fields.JSONField()  # the recordings' row ids it was cut from
    peaks: Any = fields.JSONField()  # the waveform: max |sample| per bin, 0-255
    # the oldest of those recordings' arrival: the clip expires with it (retention)
    sources_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "service_clip"
        unique_together = (("service", "device_id"),)


class JobCursor(Model):
    """Where a job that walks a table in id order has got to (e.g. the clip job's newest
    session_end event looked at)."""

    name = fields.CharField(max_length=40, primary_key=True)
    position = fields.BigIntField(default=0)

    class Meta:
        table = "job_cursor"
