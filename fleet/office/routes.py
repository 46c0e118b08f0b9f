"""The web office's API: log in and out, one's own account, users and their grants and tokens,
and the audit log (JSON or CSV)."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, StringConstraints

from crmsensor.errors import ConfigError
from fleet.office import accounts, audit, passwords
from fleet.office.access import ROLE_NAMES, Scope
from fleet.office.guard import (
    SESSION_COOKIE,
    address_of,
    forbidden,
    forget_principals,
    note_actor,
    principal_of,
)
from fleet.office.models import ApiToken, AuditEntry, User
from fleet.webapi import (
    AFTER,
    CIDR,
    CONFLICT,
    LIMIT,
    PUBLIC,
    SINCE,
    TOKEN_NAME,
    UNTIL,
    USER_NAME,
    Access,
    Api,
    Body,
    Param,
    bad_request,
    config_error,
    cursor,
    newest_first,
    not_found,
    page,
    time_range,
)

api = Api()
ACCOUNT = Access("account", "use")
USERS_VIEW = Access("users", "view")
USERS_MANAGE = Access("users", "manage")

Password = Annotated[str, StringConstraints(min_length=1, max_length=passwords.MAX_LENGTH)]
UserName = Annotated[str, StringConstraints(pattern=USER_NAME)]
ScopeText = Annotated[
    str, StringConstraints(pattern=r"^(all|(organisation|region|station):[a-z0-9._-]{1,64})$")
]
Cidrs = Annotated[
    list[Annotated[str, StringConstraints(max_length=50, pattern=CIDR)]], Field(max_length=50)
]
NewPassword = Annotated[
    str,
    StringConstraints(
        min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH,
        pattern=passwords.PATTERN,
    ),
]  # fmt: skip


class LoginBody(Body):
    """A name and password."""

    name: UserName
    password: Password


class GrantBody(Body):
    """A role over a scope: ``all``, ``organisation:ID``, ``region:ID`` or ``station:ID``."""

    role: Literal[ROLE_NAMES]  # type: ignore[valid-type]
    scope: ScopeText = "all"


class NewUserBody(Body):
    """A user to create; without a password they can only use tokens (or a certificate)."""

    name: UserName
    password: NewPassword | None = None
    grants: Annotated[list[GrantBody], Field(max_length=50)] = []
    allow_cidrs: Cidrs = []


class UserChangeBody(Body):
    """What an admin changes of a user: grants, address allow-list, disabled."""

    grants: Annotated[list[GrantBody], Field(max_length=50)] | None = None
    allow_cidrs: Cidrs | None = None
    disabled: bool | None = None


class PasswordBody(Body):
    """A new password (an admin's reset)."""

    password: NewPassword


class OwnPasswordBody(Body):
    """One's own password change: the current one and the new one."""

    current: Password
    new: NewPassword


class TokenBody(Body):
    """A name for a new API token."""

    name: Annotated[str, StringConstraints(pattern=TOKEN_NAME)]


def _grants(body: list[GrantBody]) -> list[accounts.GrantSpec]:
    out = []
    for g in body:
        try:
            scope = Scope.parse(g.scope)
        except ConfigError as exc:
            raise config_error(exc) from None
        spec = accounts.GrantSpec(g.role, scope)
        try:
            spec.check()
        except ConfigError as exc:
            raise config_error(exc) from None
        out.append(spec)
    return out


async def user_view(u: User) -> dict[str, Any]:
    """The JSON shape of a user (never their hash)."""
    return (await user_views([u]))[0]


async def user_views(users: list[User]) -> list[dict[str, Any]]:
    """:func:`user_view` of several users, their grants read in one query."""
    grants = await accounts.grants_of_users([u.id for u in users])
    return [_user_view(u, grants.get(u.id, [])) for u in users]


def _user_view(u: User, grants: list[tuple[str, Scope]]) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "name": u.name,
        "grants": [{"role": r, "scope": str(s)} for r, s in grants],
        "disabled": u.disabled,
        "locked": u.locked_until is not None and u.locked_until > now,
        "allow_cidrs": u.allow_cidrs,
        "has_password": u.password_hash is not None,
        "created_at": u.created_at.isoformat(),
    }


def set_session_cookie(request: web.Request, response: web.StreamResponse, cookie: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure when served over TLS."""
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="Lax",
        secure=request.secure,
        path="/",
        max_age=int(accounts.SESSION_MAX.total_seconds()),
    )


@api.endpoint(
    "POST",
    "/api/v1/session",
    "Log in with a name and password (for scripts prefer API tokens); sets the session cookie "
    "and returns the CSRF token to send as X-CSRF-Token on state changes",
    access=PUBLIC,
    body=LoginBody,
    responses={
        "401": {"description": "Wrong name or password"},
        "403": {"description": "Account disabled or address not allowed"},
        "423": {"description": "Account locked after failed logins"},
        "429": {"description": "Too many failed logins from this address"},
    },
)
async def api_login(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: LoginBody = p["body"]
    note_actor(request, body.name)
    old = request.cookies.get(SESSION_COOKIE)
    try:
        cookie, user = await accounts.login(
            body.name, body.password, address_of(request), datetime.now(UTC)
        )
    except accounts.LoginRefused as exc:
        return web.json_response({"error": exc.reason}, status=exc.status)
    if old:
        await accounts.end_session(old)  # rotation: the pre-login session id dies
        forget_principals(request)
    principal = await accounts.session_principal(cookie, address_of(request), datetime.now(UTC))
    assert principal is not None
    response = web.json_response({"user": user.name, "csrf": principal.csrf})
    set_session_cookie(request, response, cookie)
    return response


@api.endpoint("DELETE", "/api/v1/session", "Log out (ends this session)", access=ACCOUNT)
async def api_logout(request: web.Request, p: dict[str, Any]) -> web.Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await accounts.end_session(cookie)
        forget_principals(request)
    response = web.json_response({"ok": True})
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


@api.endpoint("GET", "/api/v1/me", "Who the caller is and what they may do", access=ACCOUNT)
async def me(request: web.Request, p: dict[str, Any]) -> web.Response:
    principal = principal_of(request)
    return web.json_response(
        {
            "name": principal.name,
            "via": principal.via,
            "grants": [{"role": r, "scope": str(s)} for r, s in principal.grants],
            "csrf": principal.csrf or None,
        }
    )


@api.endpoint(
    "POST",
    "/api/v1/me/password",
    "Change one's own password (ends one's other sessions)",
    access=ACCOUNT,
    body=OwnPasswordBody,
)
async def change_own_password(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: OwnPasswordBody = p["body"]
    user = await User.get(id=principal_of(request).user_id)
    if not passwords.verify(user.password_hash, body.current):
        raise forbidden("the current password is wrong")
    try:
        await accounts.set_password(user, body.new)
    except ConfigError as exc:
        raise config_error(exc) from None
    forget_principals(request)
    return web.json_response({"ok": True})


async def _need_all(request: web.Request, section: str, function: str) -> None:
    # Users and the audit log span the organisation: a scoped grant does not reach them.
    if not principal_of(request).everywhere(section, function):
        raise forbidden(f"{section} / {function} needs a grant over everything")


async def _user(request: web.Request) -> User:
    name = request.match_info["user_name"]
    user = await User.get_or_none(name=name)  # the path's pattern bounds it
    if user is None:
        raise not_found(f"no user {name!r}")
    return user


@api.endpoint(
    "GET",
    "/api/v1/users",
    "Users and their grants",
    (LIMIT, cursor(r"^[a-z0-9][a-z0-9._@-]{1,63}$", 64)),
    access=USERS_VIEW,
)
async def list_users(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "users", "view")
    qs = User.all()
    if p["after"]:
        qs = qs.filter(name__gt=p["after"])
    rows = await qs.order_by("name").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return page(await user_views(rows), rows[-1].name if more else None)


@api.endpoint(
    "POST",
    "/api/v1/users",
    "Create a user",
    access=USERS_MANAGE,
    body=NewUserBody,
    status=201,
    responses=CONFLICT,
)
async def create_user(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "users", "manage")
    body: NewUserBody = p["body"]
    try:
        user = await accounts.add_user(
            body.name, body.password, _grants(body.grants), body.allow_cidrs
        )
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response(await user_view(user), status=201)


@api.endpoint(
    "GET",
    "/api/v1/users/{user_name}",
    "One user",
    path_patterns={"user_name": USER_NAME},
    access=USERS_VIEW,
)
async def get_user(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "users", "view")
    return web.json_response(await user_view(await _user(request)))


@api.endpoint(
    "PUT",
    "/api/v1/users/{user_name}",
    "Change a user's grants, address allow-list or disabled state",
    path_patterns={"user_name": USER_NAME},
    access=USERS_MANAGE,
    body=UserChangeBody,
)
async def change_user(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "users", "manage")
    user = await _user(request)
    body: UserChangeBody = p["body"]
    try:
        if body.allow_cidrs is not None:
            user.allow_cidrs = accounts.check_cidrs(body.allow_cidrs)
            await user.save(update_fields=["allow_cidrs"])
    except ConfigError as exc:
        raise config_error(exc) from None
    if body.grants is not None:
        await accounts.set_grants(user, _grants(body.grants))
    if body.disabled is not None:
        if body.disabled and user.id == principal_of(request).user_id:
            raise bad_request("you cannot disable yourself")
        await accounts.set_disabled(user, body.disabled)
    forget_principals(request)
    return web.json_response(await user_view(user))


@api.endpoint(
    "POST",
    "/api/v1/users/{user_name}/password",
    "Reset a user's password (unlocks them and ends their sessions)",
    path_patterns={"user_name": USER_NAME},
    access=USERS_MANAGE,
    body=PasswordBody,
)
async def reset_password(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "users", "manage")
    user = await _user(request)
    try:
        await accounts.set_password(user, p["body"].password)
    except ConfigError as exc:
        raise config_error(exc) from None
    await accounts.unlock(user)
    forget_principals(request)
    return web.json_response(await user_view(user))


def _token_view(t: ApiToken) -> dict[str, Any]:
    return {
        "name": t.name,
        "created_at": t.created_at.isoformat(),
        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
    }


async def owner_or_admin(request: web.Request, function: str) -> User:
    """The path's user, when it is the caller (users manage their own tokens and
    subscriptions) or the caller may ``function`` users over everything (an admin)."""
    user = await _user(request)
    principal = principal_of(request)
    if user.id != principal.user_id:
        if not principal.allows("users", function):
            raise forbidden(f"not allowed: users / {function}")
        await _need_all(request, "users", function)
    return user


@api.endpoint(
    "GET", "/api/v1/users/{user_name}/tokens", "A user's API tokens (never the secrets)",
    path_patterns={"user_name": USER_NAME}, access=ACCOUNT,
)  # fmt: skip
async def list_tokens(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "view")
    rows = await ApiToken.filter(user=user).order_by("name")
    return page([_token_view(t) for t in rows], None)


@api.endpoint(
    "POST",
    "/api/v1/users/{user_name}/tokens",
    "Create an API token; its secret is in this answer only",
    path_patterns={"user_name": USER_NAME},
    access=ACCOUNT,
    responses=CONFLICT,
    body=TokenBody,
    status=201,
)
async def create_token(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "manage")
    try:
        token = await accounts.create_token(user, p["body"].name)
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response({"name": p["body"].name, "token": token}, status=201)


@api.endpoint(
    "DELETE",
    "/api/v1/users/{user_name}/tokens/{token_name}",
    "Revoke an API token",
    path_patterns={"user_name": USER_NAME, "token_name": TOKEN_NAME},
    access=ACCOUNT,
)
async def revoke_token(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "manage")
    name = request.match_info["token_name"]
    if not await accounts.revoke_token(user, name, datetime.now(UTC)):
        raise not_found(f"{user.name} has no live token {name!r}")
    forget_principals(request)
    return web.json_response({"ok": True})


AUDIT_FILTERS = (
    Param("actor", str, "Who", max_len=64),
    Param("action", str, "What (e.g. recording.listen)", max_len=64),
    Param("object_id", str, "On which object", max_len=100),
    Param("result", str, "Outcome", choices=("ok", "denied", "refused", "error")),
    SINCE,
    UNTIL,
)


async def audit_rows(p: dict[str, Any]) -> tuple[list[AuditEntry], str | None]:
    """A page of audit entries, newest first, filtered by ``p``."""
    qs = time_range(AuditEntry.all(), p, "at")
    for key in ("actor", "action", "object_id", "result"):
        if p[key]:
            qs = qs.filter(**{key: p[key]})
    return await newest_first(qs, p)


@api.endpoint(
    "GET",
    "/api/v1/audit",
    "The audit log, newest first",
    (*AUDIT_FILTERS, LIMIT, AFTER),
    access=Access("audit", "view"),
)
async def list_audit(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "audit", "view")
    rows, nxt = await audit_rows(p)
    return page([audit.entry_view(e) for e in rows], nxt)


@api.endpoint(
    "GET",
    "/api/v1/audit.csv",
    "The audit log as CSV (the same filters; up to 1000 rows a page, `after` to go on)",
    (*AUDIT_FILTERS, LIMIT, AFTER),
    access=Access("audit", "view"),
    content_type="text/csv",
)
async def audit_csv(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _need_all(request, "audit", "view")
    rows, nxt = await audit_rows(p)
    headers = {"Content-Disposition": 'attachment; filename="audit.csv"'}
    if nxt:
        headers["Link"] = f'</api/v1/audit.csv?after={nxt}>; rel="next"'
    text = audit.to_csv(audit.entry_view(e) for e in rows)
    return web.Response(text=text, content_type="text/csv", headers=headers)
