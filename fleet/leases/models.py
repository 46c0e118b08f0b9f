"""Leases of singleton jobs.

tortoise-orm models. Every capability's models form one tortoise app, ``models``."""

from tortoise import fields
from tortoise.models import Model


class JobLease(Model):
    """Who runs a singleton job, until when (fleet.leases.lease): taken by one instance,
    renewed while it lives, taken over when it expires."""

    name = fields.CharField(max_length=64, primary_key=True)
    holder = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "job_lease"
