"""The web office's people and their traces: users, their grants, login sessions, API tokens,
login failures (for rate limiting across instances) and the append-only audit log.

tortoise-orm models. Every capability's models form one tortoise app, ``models``, so a foreign
key names its target ``models.X`` whatever package holds it."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class User(Model):
    """A person or service using the fleet."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    password_hash = fields.CharField(max_length=200, null=True)  # argon2id; None: no password
    disabled = fields.BooleanField(default=False)
    # Locked after too many wrong passwords, until this time (or an admin's reset).
    locked_until = fields.DatetimeField(null=True)
    # Addresses the user may come from (CIDRs); empty: anywhere.
    allow_cidrs: Any = fields.JSONField(default=list)
    cert_fingerprint = fields.CharField(max_length=95, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    password_changed_at = fields.DatetimeField(null=True)
    grants: fields.ReverseRelation["Grant"]

    class Meta:
        table = "user"


class Grant(Model):
    """A role over a scope: everything (``""``), an organisation, a region or a station."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="grants", on_delete=fields.CASCADE
    )
    role = fields.CharField(max_length=24)
    scope_kind = fields.CharField(max_length=12, default="all")  # all/organisation/region/station
    scope_id = fields.CharField(max_length=64, default="")

    class Meta:
        table = "user_grant"


class LoginSession(Model):
    """A browser's login: the cookie carries a secret whose sha256 is the id."""

    id = fields.CharField(max_length=64, primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    csrf = fields.CharField(max_length=64)
    address = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "login_session"


class ApiToken(Model):
    """A named token for scripts: acts with its user's grants; only its sha256 is kept."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tokens", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=64)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
        unique_together = (("user", "name"),)


class LoginFailure(Model):
    """One wrong password, by account name and address (rate limits count these)."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=64, db_index=True)
    address = fields.CharField(max_length=64, db_index=True)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "login_failure"


class AuditEntry(Model):
    """Who did what, on which object, when, from where, with what result. Rows are only ever
    inserted: no code path updates or deletes them."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor = fields.CharField(max_length=64, db_index=True)  # user name, or "anonymous"
    via = fields.CharField(max_length=8, default="")  # session, token, cert
    action = fields.CharField(max_length=64, db_index=True)
    object_type = fields.CharField(max_length=24, default="")
    object_id = fields.CharField(max_length=100, default="", db_index=True)
    address = fields.CharField(max_length=64, default="")
    result = fields.CharField(max_length=16)  # ok, denied, refused (4xx), error
    status = fields.IntField(null=True)
    detail: Any = fields.JSONField(default=dict)

    class Meta:
        table = "audit_entry"
