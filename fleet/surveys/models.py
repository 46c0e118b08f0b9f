"""Customers' ratings from the kiosks' surveys.

tortoise-orm models. Every capability's models form one tortoise app, ``models``."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Rating(Model):
    """One customer's answers on a kiosk's screen, stored once: a kiosk's ``seq`` persists
    across its restarts, so (kiosk, seq, session) names one answer however often it arrives."""

    id = fields.BigIntField(primary_key=True)
    device_id = fields.CharField(max_length=32)  # the kiosk
    station_id = fields.CharField(max_length=64, null=True, db_index=True)
    seq = fields.BigIntField()
    session = fields.CharField(max_length=40, default="")  # the kiosk session it followed
    scenario = fields.CharField(max_length=40)
    version = fields.IntField()
    lang = fields.CharField(max_length=8, default="")
    nps = fields.SmallIntField(null=True)  # 0-10: would you recommend us?
    cashier = fields.SmallIntField(null=True)  # staff ratings, 1-5
    fuel_attendant = fields.SmallIntField(null=True)
    shop = fields.SmallIntField(null=True)
    reasons: Any = fields.JSONField(default=list)
    comment = fields.CharField(max_length=500, default="")
    received_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "rating"
        unique_together = (("device_id", "seq", "session"),)
