"""A user's notification subscriptions under ``/api/v1/users/{user_name}/subscriptions``: their
own, or anyone's for an admin."""

from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, RootModel, StringConstraints

from crmsensor.errors import ConfigError
from fleet.notify.models import Subscription
from fleet.notify.outbox import subscribe, subscription_view
from fleet.office.access import Scope
from fleet.office.routes import ScopeText, owner_or_admin
from fleet.webapi import (
    SMALL_ID,
    USER_NAME,
    Access,
    Api,
    Body,
    TimeZone,
    config_error,
    int_in,
    not_found,
    page,
)

api = Api()
ACCOUNT = Access("account", "use")
Hours = Annotated[
    str, StringConstraints(pattern=r"^(([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)?$")
]


class _When(Body):
    """What to be told of, and when."""

    min_severity: Literal["info", "warning", "critical"] = "warning"
    scope: ScopeText = "all"
    escalation: bool = False
    quiet_hours: Hours = ""
    timezone: TimeZone = "UTC"
    max_per_hour: int_in(1, 10_000) = 20  # type: ignore[valid-type]


class EmailSubscription(_When):
    """Alerts by email."""

    channel: Literal["email"]
    address: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,200}$")
    ]


class SmsSubscription(_When):
    """Alerts by SMS (through the fleet's HTTP gateway)."""

    channel: Literal["sms"]
    address: Annotated[str, StringConstraints(pattern=r"^\+?[0-9]{6,15}$")]


class WebhookSubscription(_When):
    """Alerts as signed HTTP POSTs."""

    channel: Literal["webhook"]
    address: Annotated[str, StringConstraints(pattern=r"^https?://[!-~]{1,290}$")]


class SubscriptionBody(RootModel[Any]):
    """Where and when to be told of alerts: one of the channels."""

    root: Annotated[
        EmailSubscription | SmsSubscription | WebhookSubscription,
        Field(discriminator="channel"),
    ]


@api.endpoint(
    "GET",
    "/api/v1/users/{user_name}/subscriptions",
    "A user's notification subscriptions",
    path_patterns={"user_name": USER_NAME},
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
    path_patterns={"user_name": USER_NAME},
    access=ACCOUNT,
    body=SubscriptionBody,
    status=201,
)
async def add_subscription(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "manage")
    body = p["body"].root
    try:
        s = await subscribe(
            user.id, body.channel, body.address, body.min_severity, Scope.parse(body.scope),
            body.escalation, body.quiet_hours, body.timezone, body.max_per_hour,
        )  # fmt: skip
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response(subscription_view(s), status=201)


@api.endpoint(
    "DELETE",
    "/api/v1/users/{user_name}/subscriptions/{subscription_id}",
    "Remove a subscription",
    path_patterns={"user_name": USER_NAME, "subscription_id": SMALL_ID},
    access=ACCOUNT,
)
async def remove_subscription(request: web.Request, p: dict[str, Any]) -> web.Response:
    user = await owner_or_admin(request, "manage")
    raw = request.match_info["subscription_id"]
    if not await Subscription.filter(id=int(raw), user=user).delete():
        raise not_found(f"{user.name} has no subscription {raw!r}")
    return web.json_response({"ok": True})
