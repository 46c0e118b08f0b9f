"""A user's notification subscriptions under ``/api/v1/users/{user_name}/subscriptions``: their
own, or anyone's for an admin."""

from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crmsensor.errors import ConfigError
from fleet.notify.models import Subscription
from fleet.notify.outbox import subscribe, subscription_view
from fleet.office.access import Scope
from fleet.office.routes import owner_or_admin
from fleet.webapi import Access, Api, bad_request, not_found, page

api = Api()
ACCOUNT = Access("account", "use")
Hours = Annotated[
    str, StringConstraints(pattern=r"^(([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)?$")
]


class SubscriptionBody(BaseModel):
    """Where and when to be told of alerts."""

    model_config = ConfigDict(extra="forbid")
    channel: Literal["email", "sms", "webhook"]
    address: Annotated[str, StringConstraints(min_length=3, max_length=300)]
    min_severity: Literal["info", "warning", "critical"] = "warning"
    scope: Annotated[str, StringConstraints(max_length=80)] = "all"
    escalation: bool = False
    quiet_hours: Hours = ""
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = "UTC"
    max_per_hour: Annotated[int, Field(ge=1, le=10_000)] = 20


@api.endpoint(
    "GET",
    "/api/v1/users/{user_name}/subscriptions",
    "A user's notification subscriptions",
    access=ACCOUNT,
)
async def list_subscriptions(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "view")
    rows = await Subscription.filter(user=user).order_by("id")
    return page([subscription_view(s) for s in rows], None)


@api.endpoint(
    "POST",
    "/api/v1/users/{user_name}/subscriptions",
    "Subscribe a user to alerts (never beyond what their own grants let them see)",
    access=ACCOUNT,
    body=SubscriptionBody,
    status=201,
)
async def add_subscription(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "manage")
    body: SubscriptionBody = p["body"]
    try:
        s = await subscribe(
            user.id, body.channel, body.address, body.min_severity, Scope.parse(body.scope),
            body.escalation, body.quiet_hours, body.timezone, body.max_per_hour,
        )  # fmt: skip
    except (ConfigError, ValueError) as exc:
        raise bad_request(str(exc)) from None
    return web.json_response(subscription_view(s), status=201)


@api.endpoint(
    "DELETE",
    "/api/v1/users/{user_name}/subscriptions/{subscription_id}",
    "Remove a subscription",
    access=ACCOUNT,
)
async def remove_subscription(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "manage")
    raw = request.match_info["subscription_id"]
    ok = raw.isdigit() and len(raw) < 10
    if not ok or not await Subscription.filter(id=int(raw), user=user).delete():
        raise not_found(f"{user.name} has no subscription {raw!r}")
    return web.json_response({"ok": True})
