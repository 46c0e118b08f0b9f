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
