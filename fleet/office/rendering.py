"""The web office's template engine (jinja2, autoescaping every value) and the login form,
which the access middleware also answers anonymous page requests with."""

import secrets
from datetime import UTC, datetime

import jinja2
from aiohttp import web

LOGIN_CSRF_COOKIE = "crms_login_csrf"
ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("fleet.office", "templates"),
    autoescape=True,  # every name from a device or a user is escaped here, never by hand
    undefined=jinja2.ChainableUndefined,
)


def when(value: str | None) -> str:
    """An ISO time as the office shows it: ``2026-11-29 08:15:03 UTC``."""
    if not value:
        return "-"
    try:
        return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        return value


ENV.filters["when"] = when


def safe_next(target: str) -> str:
    """Where to go after logging in: only a path on this site (an open redirect would make the
    login page a phishing tool)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target[:500]
    return "/"


def login_page(
    request: web.Request, message: str = "", status: int = 200, name: str = "", next_: str = ""
) -> web.Response:
    """The login form (with its double-submit CSRF cookie)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    html = ENV.get_template("login.html").render(
        csrf=token,
        next=safe_next(next_ or request.query.get("next", "/")),
        message=message,
        name=name,
    )
    response = web.Response(text=html, content_type="text/html", status=status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=request.secure
    )
    return response
