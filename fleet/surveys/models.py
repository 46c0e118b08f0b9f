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


class RatingSum(Model):
    """The ratings of one station over one day, ISO week (from Monday) or month, in UTC: what
    the reports read for the periods they cover whole. Ingest adds each stored rating to its
    three sums in the same transaction (fleet/surveys/sums.py), so they never disagree with
    the ratings; migration 10 made them from the ratings there were."""

    id = fields.BigIntField(primary_key=True)
    grain = fields.CharField(max_length=5)  # day, week, month
    start = fields.DateField()  # the period's first day
    station_id = fields.CharField(max_length=64)  # '' for a kiosk at no station
    answers = fields.IntField(default=0)
    nps_answers = fields.IntField(default=0)
    promoters = fields.IntField(default=0)  # NPS 9-10
    detractors = fields.IntField(default=0)  # NPS 0-6
    stars = fields.IntField(default=0)  # all staff ratings together
    rated = fields.IntField(default=0)  # how many staff ratings
    cashier = fields.IntField(default=0)  # each role's stars, and how many
    cashier_n = fields.IntField(default=0)
    fuel_attendant = fields.IntField(default=0)
    fuel_attendant_n = fields.IntField(default=0)
    shop = fields.IntField(default=0)
    shop_n = fields.IntField(default=0)

    class Meta:
        table = "rating_sum"
        unique_together = (("grain", "start", "station_id"),)


class Scenario(Model):
    """What a kiosk's screen shows: survey steps and an ad playlist, with its targets,
    schedule and priority. Each edit is a new :class:`ScenarioVersion`; answers name the
    version that asked, and versions are never deleted (archiving a scenario stops it)."""

    id = fields.CharField(max_length=40, primary_key=True)  # a slug: summer-2027
    name = fields.CharField(max_length=100)
    version = fields.IntField(default=1)  # the current one
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    archived_at = fields.DatetimeField(null=True)

    class Meta:
        table = "scenario"


class ScenarioVersion(Model):
    id = fields.IntField(primary_key=True)
    scenario: fields.ForeignKeyRelation[Scenario] = fields.ForeignKeyField(
        "models.Scenario", related_name="versions", on_delete=fields.CASCADE
    )
    version = fields.IntField()
    body: Any = fields.JSONField()  # priority, target, schedule, langs, texts, survey, playlist
    created_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "scenario_version"
        unique_together = (("scenario", "version"),)


class Screen(Model):
    """A kiosk's screen as the fleet last planned it: the plan it was sent, the token its
    downloads carry, and what the kiosk said it made of the plan."""

    device_id = fields.CharField(max_length=32, primary_key=True)
    token = fields.CharField(max_length=43, unique=True)
    plan: Any = fields.JSONField(null=True)
    plan_sha = fields.CharField(max_length=64, default="")
    planned_at = fields.DatetimeField(null=True)
    state = fields.CharField(max_length=8, default="")  # applied, partial, refused
    state_plan = fields.CharField(max_length=64, default="")
    state_reason = fields.CharField(max_length=200, default="")
    state_at = fields.DatetimeField(null=True)

    class Meta:
        table = "screen"


class Play(Model):
    """Proof of play: one kiosk's tally of one file (in one scenario version) for one clock
    hour, stored once per (kiosk, hour, file, scenario, version) however often it arrives; it
    names the file by its SHA-256, so it outlives the file."""

    id = fields.BigIntField(primary_key=True)
    device_id = fields.CharField(max_length=32)
    station_id = fields.CharField(max_length=64, null=True, db_index=True)
    seq = fields.BigIntField()
    content = fields.CharField(max_length=64, db_index=True)
    scenario = fields.CharField(max_length=40)
    version = fields.IntField()
    hour = fields.DatetimeField(db_index=True)  # the kiosk's clock hour
    plays = fields.IntField()
    seconds = fields.FloatField()  # on screen, all plays together
    present = fields.IntField()  # plays while a customer was at the desk
    errors = fields.IntField(default=0)
    reason = fields.CharField(max_length=200, default="")  # why the last failed one failed
    received_at = fields.DatetimeField()

    class Meta:
        table = "play"
        unique_together = (("device_id", "hour", "content", "scenario", "version"),)
