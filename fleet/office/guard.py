"""Access in one place: the middleware that resolves each request's principal (session cookie,
API token or client certificate), enforces the route's declared section and function, CSRF on
state changes, and writes the audit log; and the helpers handlers use for objects and lists.

Out-of-scope objects are invisible: lists are filtered by scope in SQL (:func:`scoped`), and
asking for one by id answers 403 whether it exists or not (:func:`check_object`), so a scoped
user cannot probe for other stations' ids. Only a principal whose scope covers everything gets
a 404 for a missing object.
"""

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from aiohttp.web_urldispatcher import StaticResource
from tortoise.queryset import QuerySet

from fleet.office import accounts, audit
from fleet.office.access import Principal
from fleet.office.principals import PrincipalCache
from fleet.office.rendering import login_page
from fleet.webapi import Access, access_of, bad_request

log = logging.getLogger("fleet.office")

PRINCIPAL = web.RequestKey("principal", Principal)
PRINCIPALS = web.AppKey("principals", PrincipalCache)  # principals resolved lately
AUDIT_SKIP = web.RequestKey("audit_skip", bool)
ACTOR = web.RequestKey("actor", str)  # who an anonymous request (a login) claimed to be
SESSION_COOKIE = "crms_session"
CSRF_HEADER = "X-CSRF-Token"
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def auth_seconds(request: web.Request) -> float | None:
    """Time this request spent on authentication and scope resolution (None: anonymous)."""
    principal = request.get(PRINCIPAL)
    return principal.spent_s if principal is not None else None


def address_of(request: web.Request) -> str:
    """The caller's address (behind a reverse proxy, configure it to pass the real one as the
    peer: the fleet does not trust X-Forwarded-For)."""
    return request.remote or ""


def principal_of(request: web.Request) -> Principal:
    """The request's principal (routes that are not public always have one)."""
    if PRINCIPAL not in request:
        raise web.HTTPUnauthorized(reason="not logged in")
    return request[PRINCIPAL]


def _json_error(status: int, message: str) -> web.HTTPException:
    cls = {401: web.HTTPUnauthorized, 403: web.HTTPForbidden, 404: web.HTTPNotFound}[status]
    return cls(text=web.json_response({"error": message}).text, content_type="application/json")


def forbidden(message: str) -> web.HTTPException:
    """A 403 with a JSON body."""
    return _json_error(403, message)


async def check_object(
    request: web.Request, section: str, function: str, station_id: str | None, what: str
) -> None:
    """403 unless the principal may do ``function`` on an object at ``station_id``."""
    if not await principal_of(request).can(section, function, station_id):
        raise forbidden(f"no access to {what}")


async def missing(request: web.Request, section: str, function: str, what: str) -> Exception:
    """The error for an object that does not exist: 404 for a principal who sees everything,
    the same 403 as an out-of-scope object for anyone else."""
    if principal_of(request).everywhere(section, function):
        return _json_error(404, f"no {what}")
    return forbidden(f"no access to {what}")


async def scoped(
    request: web.Request,
    qs: QuerySet[Any],
    section: str,
    function: str,
    station_field: str = "station_id",
) -> QuerySet[Any]:
    """``qs`` limited to the stations the principal may see (a filter in SQL)."""
    stations = await principal_of(request).stations(section, function)
    if stations is None:
        return qs
    return qs.filter(**{f"{station_field}__in": sorted(stations)})


def skip_audit(request: web.Request) -> None:
    """This read needs no audit entry after all (a media player's follow-up range request)."""
    request[AUDIT_SKIP] = True


def note_actor(request: web.Request, name: str) -> None:
    """Name the would-be actor of an anonymous request in its audit entry (a login)."""
    request[ACTOR] = name[:64]


async def _resolve(request: web.Request) -> Principal | None:
    address = address_of(request)
    key: tuple[str, str, str] | None = None
    header = request.headers.get("Authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    peer = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        key = ("token", token.strip(), address)
    elif cookie:
        key = ("session", cookie, address)
    elif (peer := _client_certificate(request)) is not None:
        key = ("cert", peer[1], address)
    else:
        return None
    cache = request.app[PRINCIPALS]
    principal = cache.get(key)
    if principal is not None:
        return principal
    now = datetime.now(UTC)
    if key[0] == "token":
        principal = await accounts.token_principal(key[1], address, now)
    elif key[0] == "session":
        principal = await accounts.session_principal(key[1], address, now)
    elif peer is not None:
        principal = await accounts.certificate_principal(peer[0], peer[1], address)
    if principal is not None:
        cache.put(key, principal)
    return principal


def forget_principals(request: web.Request) -> None:
    """A credential or a user changed: resolve every caller afresh (this instance at once,
    others within the cache's time to live)."""
    request.app[PRINCIPALS].clear()


def _client_certificate(request: web.Request) -> tuple[str, str] | None:
    """(common name, sha256 fingerprint) of a client certificate the TLS layer verified."""
    ssl_object = request.transport.get_extra_info("ssl_object") if request.transport else None
    if ssl_object is None:
        return None
    peer = ssl_object.getpeercert()
    der = ssl_object.getpeercert(binary_form=True)
    if not peer or not der:
        return None  # none sent (they are optional), or not verified
    names = [v for rdn in peer.get("subject", ()) for k, v in rdn if k == "commonName"]
    if not names:
        return None
    return str(names[0]), hashlib.sha256(der).hexdigest()


def _route_access(request: web.Request) -> Access | None:
    route = request.match_info.route
    if isinstance(route.resource, StaticResource):
        return Access(public=True)
    return access_of(route.handler)


def _csrf_ok(request: web.Request, principal: Principal, form: dict[str, Any] | None) -> bool:
    if principal.via != "session":
        return True  # tokens and certificates are not sent by browsers on their own
    given = request.headers.get(CSRF_HEADER) or (form or {}).get("csrf", "")
    return bool(given) and hmac.compare_digest(str(given), principal.csrf)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate, authorise and audit every request (see the module's docstring)."""
    if request.match_info.http_exception is not None:  # no such route: 404/405 as usual
        return await handler(request)
    access = _route_access(request)
    started = time.perf_counter()
    try:
        principal = await _resolve(request)
    except accounts.LoginRefused as exc:  # a good credential from outside its allow-list
        await _audit_denied(request, access, None, exc.status, force=True)
        raise _json_error(403, exc.reason) from None
    if principal is not None:
        request[PRINCIPAL] = principal
        principal.spent_s += time.perf_counter() - started
    if access is not None and access.public:
        return await _audited(request, handler, access, principal)
    if principal is None:
        if access is not None and access.page:  # a browser: the login form, then back here
            return login_page(request, "Please log in.", 401, next_=request.rel_url.path)
        await _audit_denied(request, access, None, 401)
        raise _json_error(401, "log in, or send an API token as 'Authorization: Bearer ...'")
    if access is None:
        log.error("route %s %s declares no access rule; refused", request.method, request.path)
        await _audit_denied(request, access, principal, 403)
        raise forbidden("this route declares no access rule")
    if request.method in _UNSAFE:
        form = None
        # A session's form may carry its CSRF token as a field; read the form only then (an
        # upload's multipart body is the route's own to stream, and tokens need no CSRF).
        if (
            principal.via == "session"
            and CSRF_HEADER not in request.headers
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            try:
                form = dict(await request.post())
            except (ValueError, AssertionError, web.HTTPException):
                raise bad_request("the form body cannot be read") from None
        if not _csrf_ok(request, principal, form):
            await _audit_denied(request, access, principal, 403)
            raise forbidden(f"missing or wrong CSRF token (send the {CSRF_HEADER} header)")
    if not principal.allows(access.section, access.function):
        await _audit_denied(request, access, principal, 403)
        raise forbidden(f"not allowed: {access.section} / {access.function}")
    return await _audited(request, handler, access, principal)


def _object_of(request: web.Request) -> tuple[str, str]:
    info = request.match_info
    for key, value in info.items():
        return key.removesuffix("_id"), value
    return "", ""


def _action(request: web.Request, access: Access | None) -> str:
    if access is not None and access.audit:
        return access.audit
    resource = request.match_info.route.resource
    path = resource.canonical if resource is not None else request.path
    return f"{request.method} {path}"


async def _audit_denied(
    request: web.Request,
    access: Access | None,
    principal: Principal | None,
    status: int,
    force: bool = False,
) -> None:
    if force or request.method in _UNSAFE or (access is not None and access.audit):
        await _write(request, access, principal, status)


async def _write(
    request: web.Request,
    access: Access | None,
    principal: Principal | None,
    status: int,
) -> None:
    kind, ident = _object_of(request)
    actor = principal.name if principal else request.get(ACTOR, "anonymous")
    await audit.record(
        actor,
        _action(request, access),
        via=principal.via if principal else "",
        object_type=kind,
        object_id=ident,
        address=address_of(request),
        status=status,
    )


async def _audited(
    request: web.Request, handler: Handler, access: Access, principal: Principal | None
) -> web.StreamResponse:
    if request.method not in _UNSAFE and not access.audit:
        return await handler(request)
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        await _write(request, access, request.get(PRINCIPAL), exc.status)
        raise
    except Exception:
        await _write(request, access, request.get(PRINCIPAL), 500)
        raise
    if not request.get(AUDIT_SKIP):
        await _write(request, access, request.get(PRINCIPAL), response.status)
    return response


@web.middleware
async def server_timing(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """``Server-Timing: app;dur=<ms>, auth;dur=<ms>``: the server's own time for the request
    and the part of it authorisation took (headers are sent before a stream's body, so
    streams carry none)."""
    started = time.perf_counter()
    response = await handler(request)
    if not response.prepared:
        parts = [f"app;dur={(time.perf_counter() - started) * 1000:.2f}"]
        auth = auth_seconds(request)
        if auth is not None:
            parts.append(f"auth;dur={auth * 1000:.2f}")
        response.headers["Server-Timing"] = ", ".join(parts)
    return response
