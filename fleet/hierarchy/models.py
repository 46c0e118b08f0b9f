"""Organisation -> region -> station: where devices work, and the scopes of the web office's grants.

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

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
