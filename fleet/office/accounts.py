"""Users, their grants, login sessions and API tokens: the typed functions behind the web
office's routes and the ``crmsensor fleet user|token`` commands.

Secrets (session cookies, API tokens) are random 32-byte values shown once; the database keeps
only their sha256, so a copy of the database cannot be used to log in.
"""

import hashlib
import ipaddress
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from crmsensor.errors import ConfigError, Conflict, Missing
from fleet.office import passwords
from fleet.office.access import ROLE_NAMES, Principal, Scope
from fleet.office.models import ApiToken, Grant, LoginFailure, LoginSession, User
from fleet.transaction import transaction

USER_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
TOKEN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")
TOKEN_PREFIX = "crms_"

SESSION_IDLE = timedelta(hours=12)  # a session unused this long ends
SESSION_MAX = timedelta(days=7)  # and every session ends this long after login
_TOUCH_EVERY = timedelta(minutes=1)  # how often a used session's or token's time is written

# Wrong passwords: per account, then locked for a while; per address, then refused for a while.
FAILURE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
LOCK_FOR = timedelta(minutes=15)


class LoginRefused(Exception):
    """A login that did not succeed; ``reason`` is what the user is told, ``status`` the HTTP
    status (401 wrong credentials, 403 not allowed from here, 423 locked, 429 too many)."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def secret_hash(secret: str) -> str:
    """What the database keeps of a session cookie or token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_user_name(name: str) -> None:
    """Raise :class:`ConfigError` naming what is wrong with a user name."""
    if not USER_NAME.fullmatch(name):
        raise ConfigError(f"user name must be 2-64 of a-z 0-9 . _ @ -, got {name!r}")


def check_cidrs(cidrs: list[str]) -> list[str]:
    """Normalised CIDRs, or :class:`ConfigError` naming the bad one."""
    out = []
    for c in cidrs:
        try:
            out.append(str(ipaddress.ip_network(c, strict=False)))
        except ValueError:
            raise ConfigError(f"allow-list entry {c!r} is not an address or CIDR") from None
    return out


def address_allowed(cidrs: list[str], address: str) -> bool:
    """Is ``address`` inside one of ``cidrs`` (an empty list allows everything)?"""
    if not cidrs:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(c, strict=False) for c in cidrs)


@dataclass(frozen=True)
class GrantSpec:
    """A role over a scope, as given by an admin or the CLI."""

    role: str
    scope: Scope = field(default_factory=Scope)

    def check(self) -> None:
        """Raise :class:`ConfigError` naming an unknown role."""
        if self.role not in ROLE_NAMES:
            raise ConfigError(f"role must be one of {', '.join(ROLE_NAMES)}, got {self.role!r}")


async def add_user(
    name: str,
    password: str | None,
    grants: list[GrantSpec],
    allow_cidrs: list[str] | None = None,
) -> User:
    """Create a user with their grants; :class:`ConfigError` names what is wrong (an existing
    name, a short password, an unknown role)."""
    check_user_name(name)
    for g in grants:
        g.check()
    cidrs = check_cidrs(allow_cidrs or [])
    hashed = passwords.hash_password(password) if password is not None else None
    async with transaction():
        if await User.exists(name=name):
            raise Conflict(f"user {name!r} exists already")
        user = await User.create(
            name=name,
            password_hash=hashed,
            allow_cidrs=cidrs,
            password_changed_at=datetime.now(UTC) if hashed else None,
        )
        for g in grants:
            await Grant.create(user=user, role=g.role, scope_kind=g.scope.kind, scope_id=g.scope.id)
    return user


async def get_user(name: str) -> User:
    """The user called ``name``, or :class:`ConfigError`."""
    user = await User.get_or_none(name=name)
    if user is None:
        raise Missing(f"no user {name!r}")
    return user


async def set_grants(user: User, grants: list[GrantSpec]) -> None:
    """Replace a user's grants."""
    for g in grants:
        g.check()
    async with transaction():
        await Grant.filter(user=user).delete()
        for g in grants:
            await Grant.create(user=user, role=g.role, scope_kind=g.scope.kind, scope_id=g.scope.id)


async def grants_of(user_id: int) -> list[tuple[str, Scope]]:
    """A user's grants as (role, scope)."""
    return (await grants_of_users([user_id])).get(user_id, [])


async def grants_of_users(user_ids: list[int]) -> dict[int, list[tuple[str, Scope]]]:
    """Several users' grants (one query): user id -> [(role, scope)]."""
    rows = (
        await Grant.filter(user_id__in=user_ids)
        .order_by("id")
        .values_list("user_id", "role", "scope_kind", "scope_id")
    )
    out: dict[int, list[tuple[str, Scope]]] = {}
    for uid, r, k, i in rows:
        out.setdefault(int(uid), []).append((str(r), Scope(str(k), str(i))))
    return out


async def set_password(user: User, password: str) -> None:
    """Change a user's password; it ends their other sessions and unlocks them."""
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = datetime.now(UTC)
    user.locked_until = None
    await user.save(update_fields=["password_hash", "password_changed_at", "locked_until"])
    await LoginSession.filter(user=user).delete()


async def set_disabled(user: User, disabled: bool) -> None:
    """Disable (every session and token stops working) or enable a user."""
    user.disabled = disabled
    await user.save(update_fields=["disabled"])
    if disabled:
        await LoginSession.filter(user=user).delete()


async def unlock(user: User) -> None:
    """Lift a lock from wrong passwords (an admin's reset)."""
    user.locked_until = None
    await user.save(update_fields=["locked_until"])
    await LoginFailure.filter(name=user.name).delete()


async def _principal(user: User, via: str, csrf: str = "") -> Principal:
    return Principal(user.id, user.name, via, await grants_of(user.id), csrf)


async def login(name: str, password: str, address: str, now: datetime) -> tuple[str, User]:
    """Check a name and password from ``address``; on success a new session's cookie value
    (rotation: every login gets a new session) and the user, else :class:`LoginRefused`."""
    since = now - FAILURE_WINDOW
    if await LoginFailure.filter(address=address, at__gte=since).count() >= ADDRESS_FAILURES:
        raise LoginRefused("too many failed logins from this address; try again later", 429)
    user = await User.get_or_none(name=name[:64])
    if user is not None and user.locked_until is not None and user.locked_until > now:
        raise LoginRefused("this account is locked after too many failed logins", 423)
    if not passwords.verify(user.password_hash if user else None, password) or user is None:
        await LoginFailure.create(name=name[:64], address=address[:64], at=now)
        if user is not None:
            failures = await LoginFailure.filter(name=user.name, at__gte=since).count()
            if failures >= ACCOUNT_FAILURES:
                user.locked_until = now + LOCK_FOR
                await user.save(update_fields=["locked_until"])
        raise LoginRefused("wrong user name or password", 401)
    if user.disabled:
        raise LoginRefused("this account is disabled", 403)
    if not address_allowed(user.allow_cidrs, address):
        raise LoginRefused("this account may not log in from this address", 403)
    await LoginFailure.filter(name=user.name).delete()
    cookie = secrets.token_urlsafe(32)
    await LoginSession.create(
        id=secret_hash(cookie),
        user=user,
        csrf=secrets.token_urlsafe(24),
        address=address[:64],
        last_seen_at=now,
        expires_at=now + SESSION_IDLE,
    )
    return cookie, user


async def end_session(cookie: str) -> None:
    """Log out: the session is deleted (its cookie is worthless from now on)."""
    await LoginSession.filter(id=secret_hash(cookie)).delete()


async def session_principal(cookie: str, address: str, now: datetime) -> Principal | None:
    """The principal behind a session cookie, or None (unknown, expired, user disabled);
    :class:`LoginRefused` from outside the user's allow-list. Sliding expiry, capped at
    :data:`SESSION_MAX` after login."""
    s = await LoginSession.get_or_none(id=secret_hash(cookie)).prefetch_related("user")
    if s is None:
        return None
    if s.expires_at <= now or s.created_at + SESSION_MAX <= now:
        await s.delete()
        return None
    user: User = s.user
    if user.disabled:
        return None
    if not address_allowed(user.allow_cidrs, address):
        raise LoginRefused(f"{user.name} may not be used from {address}", 403)
    if now - s.last_seen_at >= _TOUCH_EVERY:
        s.last_seen_at = now
        s.expires_at = min(now + SESSION_IDLE, s.created_at + SESSION_MAX)
        await s.save(update_fields=["last_seen_at", "expires_at"])
    return await _principal(user, "session", s.csrf)


async def certificate_principal(
    common_name: str, fingerprint: str, address: str
) -> Principal | None:
    """The principal behind a client certificate the TLS layer verified against the fleet
    CA: its common name is ``user-<name>``. None for another kind of certificate, an unknown
    or disabled user, or a user bound to a different certificate (``cert_fingerprint``)."""
    if not common_name.startswith("user-"):
        return None
    user = await User.get_or_none(name=common_name.removeprefix("user-"))
    if user is None or user.disabled:
        return None
    if user.cert_fingerprint and user.cert_fingerprint != fingerprint:
        return None
    if not address_allowed(user.allow_cidrs, address):
        raise LoginRefused(f"{user.name} may not be used from {address}", 403)
    return await _principal(user, "cert")


async def create_token(user: User, name: str) -> str:
    """A new API token for ``user`` (returned once; only its hash is kept)."""
    if not TOKEN_NAME.fullmatch(name):
        raise ConfigError(f"token name must be 1-64 of A-Z a-z 0-9 space . _ -, got {name!r}")
    if await ApiToken.exists(user=user, name=name, revoked_at=None):
        raise Conflict(f"user {user.name!r} has a token called {name!r} already")
    await ApiToken.filter(user=user, name=name).exclude(revoked_at=None).delete()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await ApiToken.create(user=user, name=name, token_hash=secret_hash(token))
    return token


async def revoke_token(user: User, name: str, now: datetime) -> bool:
    """Revoke a user's token by name; False when there was none to revoke."""
    return bool(await ApiToken.filter(user=user, name=name, revoked_at=None).update(revoked_at=now))


async def token_principal(token: str, address: str, now: datetime) -> Principal | None:
    """The principal behind a bearer token, or None (unknown, revoked, user disabled);
    :class:`LoginRefused` from outside the user's allow-list."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    t = await ApiToken.get_or_none(token_hash=secret_hash(token)).prefetch_related("user")
    if t is None or t.revoked_at is not None:
        return None
    user: User = t.user
    if user.disabled:
        return None
    if not address_allowed(user.allow_cidrs, address):
        raise LoginRefused(f"{user.name} may not be used from {address}", 403)
    if t.last_used_at is None or now - t.last_used_at >= _TOUCH_EVERY:
        t.last_used_at = now
        await t.save(update_fields=["last_used_at"])
    return await _principal(user, "token")
