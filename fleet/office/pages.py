"""The web office's pages: server-rendered HTML (jinja2, every value escaped by the template
engine) with a small script for the live parts (``static/office.js``). Each page is declared
with its section and function like the API's routes, and shows only what its viewer's grants
and scope allow."""

import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from crmsensor.protocol.messages import COMMAND_OPS
from fleet.alerts import store as alerts
from fleet.devices import dashboard
from fleet.devices.registry import iso
from fleet.hierarchy import stations
from fleet.notify.models import Subscription
from fleet.notify.outbox import subscription_view
from fleet.office import accounts, audit
from fleet.office.access import ROLE_NAMES
from fleet.office.charts import line_svg
from fleet.office.guard import (
    SESSION_COOKIE,
    address_of,
    forget_principals,
    note_actor,
    principal_of,
)
from fleet.office.models import ApiToken, User
from fleet.office.rendering import ENV, LOGIN_CSRF_COOKIE, login_page, safe_next
from fleet.office.routes import audit_rows, set_session_cookie, user_views
from fleet.recordings import views as recording_views
from fleet.webapi import PUBLIC, Access, declare

routes = web.RouteTableDef()
_NAV = (
    ("/", "Overview", "devices", "view"),
    ("/devices", "Devices", "devices", "view"),
    ("/alerts", "Alerts", "alerts", "view"),
    ("/hierarchy", "Stations", "hierarchy", "view"),
    ("/reviews", "Reviews", "reviews", "view"),
    ("/surveys", "Ratings", "surveys", "view"),
    ("/surveys/scenarios", "Screens", "surveys", "manage"),
    ("/content", "Ads", "content", "view"),
    ("/updates", "Updates", "updates", "view"),
    ("/audit", "Audit log", "audit", "view"),
    ("/users", "Users", "users", "view"),
    ("/account", "Account", "account", "use"),
)
PAGE_SIZE = 100


PageHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def page(
    path: str, section: str, function: str, method: str = "GET"
) -> Callable[[PageHandler], PageHandler]:
    """Declare a page route with its section and function."""

    def wrap(handler: PageHandler) -> PageHandler:
        declare(handler, Access(section, function, page=True))
        routes.route(method, path)(handler)
        return handler

    return wrap


def public(path: str, method: str = "GET") -> Callable[[PageHandler], PageHandler]:
    """Declare a page anyone may open (the login page)."""

    def wrap(handler: PageHandler) -> PageHandler:
        declare(handler, PUBLIC)
        routes.route(method, path)(handler)
        return handler

    return wrap


def render(
    request: web.Request, template: str, title: str, status: int = 200, **values: Any
) -> web.Response:
    """A page in the office's frame, for the request's principal."""
    p = principal_of(request)
    nav = [(href, label) for href, label, s, f in _NAV if p.allows(s, f)]
    html = ENV.get_template(template).render(
        title=title,
        user=p.name,
        csrf=p.csrf,
        nav=nav,
        active=request.path,
        page_name=template.removesuffix(".html"),
        **values,
    )
    return web.Response(text=html, content_type="text/html", status=status)


@public("/login")
async def login_form(request: web.Request) -> web.Response:
    """The login form."""
    return login_page(request)


@public("/login", "POST")
async def login_submit(request: web.Request) -> web.StreamResponse:
    """Check the form; on success a new session and a redirect to where the user was going."""
    form = await request.post()
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:256]
    note_actor(request, name)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, str(form.get("csrf", ""))):
        return login_page(request, "The form expired; please log in again.", 403, name)
    old = request.cookies.get(SESSION_COOKIE)
    try:
        cookie, _user = await accounts.login(name, password, address_of(request), _now())
    except accounts.LoginRefused as exc:
        return login_page(request, exc.reason, exc.status, name)
    if old:
        await accounts.end_session(old)
        forget_principals(request)
    response = web.HTTPSeeOther(safe_next(str(form.get("next", "/"))))
    set_session_cookie(request, response, cookie)
    response.del_cookie(LOGIN_CSRF_COOKIE)
    raise response


@page("/logout", "account", "use", "POST")
async def logout(request: web.Request) -> web.StreamResponse:
    """End the session and go back to the login page."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await accounts.end_session(cookie)
        forget_principals(request)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


def _now() -> datetime:
    return datetime.now(UTC)


@page("/", "devices", "view")
async def overview(request: web.Request) -> web.Response:
    """Online and offline counts, open alerts by severity, stations, firmware versions."""
    stations = await principal_of(request).stations("devices", "view")
    summary = await dashboard.summary(stations)
    summary["alerts"] = await alerts.open_counts(stations)
    per_station = await alerts.open_by_station(stations)
    for st in summary["stations"]:
        st["alerts"] = per_station.get(st["id"], 0)
    return render(request, "overview.html", "Fleet overview", s=summary)


@page("/devices", "devices", "view")
async def devices_page(request: web.Request) -> web.Response:
    """The device list: server-side filters and pages, live state."""
    q = request.query
    f: dict[str, Any] = {
        "station": q.get("station", "")[:64] or None,
        "kind": q.get("kind") if q.get("kind") in ("badge", "kiosk") else None,
        "online": {"true": True, "false": False}.get(q.get("online", "")),
        "tag": q.get("tag", "")[:32] or None,
        "after": q.get("after", "")[:32] or None,
    }
    stations = await principal_of(request).stations("devices", "view")
    rows, nxt = await dashboard.device_page(stations, PAGE_SIZE, **f)
    next_url = None
    if nxt:
        keep = {k: ("true" if v is True else "false" if v is False else v) for k, v in f.items()}
        next_url = "/devices?" + urlencode({**{k: v for k, v in keep.items() if v}, "after": nxt})
    return render(request, "devices.html", "Devices", devices=rows, f=f, next_url=next_url)


async def _visible(request: web.Request, section: str, function: str, station: str | None) -> bool:
    return await principal_of(request).can(section, function, station)


@page("/devices/{device_id}", "devices", "view")
async def device_page(request: web.Request) -> web.Response:
    """One device: live state, charts, events, commands, recordings with players."""
    device_id = request.match_info["device_id"][:32]
    d = await dashboard.device(device_id)
    if d is None or not await _visible(request, "devices", "view", d["station"]):
        return _denied(request, f"No device {device_id!r} in your scope.")
    p = principal_of(request)
    station = d["station"]
    can_listen = await p.can("recordings", "download", station)
    can_see_recordings = await p.can("recordings", "view", station)
    return render(
        request,
        "device.html",
        f"Device {device_id}",
        d=d,
        alerts=await alerts.open_alert_views(device_id),
        charts=[
            {"title": title, "svg": line_svg(points, unit)}
            for title, unit, points in await dashboard.series(device_id, d["kind"])
        ],
        kiosk=await dashboard.kiosk_hours(device_id) if d["kind"] == "kiosk" else [],
        events=await dashboard.events(device_id, 50),
        commands=await dashboard.commands(device_id, 20),
        recordings=await recording_views.latest(device_id, 20) if can_see_recordings else [],
        can_listen=can_listen,
        can_command=await p.can("devices", "command", station),
        ops=[op for op in COMMAND_OPS if op not in ("renew_cert",)],
    )


def _denied(request: web.Request, message: str) -> web.Response:
    return render(request, "error.html", "Not available", status=403, message=message)


@page("/alerts", "alerts", "view")
async def alerts_page(request: web.Request) -> web.Response:
    """Alerts in scope, open ones first; acknowledge from here."""
    state = request.query.get("state", "open")
    if state not in ("open", "closed", "all"):
        state = "open"
    after = request.query.get("after", "")
    cursor = int(after) if after.isdigit() and len(after) < 19 else None
    p = principal_of(request)
    stations = await p.stations("alerts", "view")
    rows, nxt = await alerts.page_of(stations, state, cursor, PAGE_SIZE)
    next_url = f"/alerts?{urlencode({'state': state, 'after': nxt})}" if nxt else None
    can_ack = p.allows("alerts", "acknowledge")
    return render(
        request, "alerts.html", "Alerts", alerts=rows, state=state, next_url=next_url,
        can_ack=can_ack,
    )  # fmt: skip


@page("/audit", "audit", "view")
async def audit_page(request: web.Request) -> web.Response:
    """The audit log with filters and a CSV export."""
    if not principal_of(request).everywhere("audit", "view"):
        return _denied(request, "The audit log needs a grant over everything.")
    q = request.query
    f = {k: q.get(k, "")[:100] or None for k in ("actor", "action", "object_id")}
    after = q.get("after", "")
    p = {**f, "result": None, "since": None, "until": None, "limit": PAGE_SIZE,
         "after": after if after.isdigit() else None}  # fmt: skip
    rows, nxt = await audit_rows(p)
    query = {k: v for k, v in f.items() if v}
    next_url = f"/audit?{urlencode({**query, 'after': nxt})}" if nxt else None
    return render(
        request,
        "audit.html",
        "Audit log",
        entries=[audit.entry_view(e) for e in rows],
        f=f,
        next_url=next_url,
        csv_url=f"/api/v1/audit.csv?{urlencode(query)}",
    )


@page("/users", "users", "view")
async def users_page(request: web.Request) -> web.Response:
    """Users, their grants and state; an admin adds, disables and resets them here."""
    p = principal_of(request)
    if not p.everywhere("users", "view"):
        return _denied(request, "Users need a grant over everything.")
    users = await user_views(await User.all().order_by("name").limit(1000))
    can_manage = p.everywhere("users", "manage")
    return render(request, "users.html", "Users", users=users, can_manage=can_manage,
                  roles=ROLE_NAMES)  # fmt: skip


@page("/hierarchy", "hierarchy", "view")
async def hierarchy_page(request: web.Request) -> web.Response:
    """Organisations, regions and stations in scope; managers change them here."""
    p = principal_of(request)
    tree = await stations.tree(await p.stations("hierarchy", "view"))
    return render(
        request,
        "hierarchy.html",
        "Stations",
        tree=tree,
        can_manage=p.allows("hierarchy", "manage"),
        manage_all=p.everywhere("hierarchy", "manage"),
        can_manage_devices=p.allows("devices", "manage"),
    )


@page("/account", "account", "use")
async def account_page(request: web.Request) -> web.Response:
    """One's own password, API tokens and alert subscriptions."""
    p = principal_of(request)
    tokens = await ApiToken.filter(user_id=p.user_id).order_by("name")
    subs = await Subscription.filter(user_id=p.user_id).order_by("id")
    return render(
        request,
        "account.html",
        f"Account: {p.name}",
        tokens=[
            {
                "name": t.name,
                "created_at": iso(t.created_at),
                "last_used_at": iso(t.last_used_at),
                "revoked_at": iso(t.revoked_at),
            }
            for t in tokens
        ],
        subscriptions=[subscription_view(s) for s in subs],
    )
