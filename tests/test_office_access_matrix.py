"""The access matrix: every route of the app, for every role, on an object inside and outside
the role's scope, is allowed or denied as this file declares, and anonymous callers get 401
everywhere but the public routes. A route the app serves that this table does not list fails
the test, so a new route cannot ship without its entry.

The table is written here, apart from the code's own declarations: it is the specification the
code is checked against, not a copy of it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.conftest import RunningFleet
from tests.office_world import PASSWORD, World, bearer, build

# What each role may do, per section (the specification of fleet/office/access.py's ROLES).
VIEW_ALL = {"devices": {"view"}, "hierarchy": {"view"}, "recordings": {"view"}, "alerts": {"view"}}
ROLE_FUNCTIONS: dict[str, dict[str, set[str]]] = {
    "operator": {
        **VIEW_ALL, "devices": {"view", "command", "manage"}, "hierarchy": {"view", "manage"},
        "alerts": {"view", "acknowledge"}, "system": {"view"}, "updates": {"view", "deploy"},
    },
    "regional_manager": {
        **VIEW_ALL, "recordings": {"view", "download"}, "alerts": {"view", "acknowledge"},
        "reviews": {"view", "appeal", "resolve"}, "surveys": {"view"},
    },
    "station_manager": {
        **VIEW_ALL, "recordings": {"view", "download"}, "alerts": {"view", "acknowledge"},
        "reviews": {"view", "appeal"}, "surveys": {"view"},
    },
    "reviewer": {"hierarchy": {"view"}, "recordings": {"view", "download"},
                 "reviews": {"view", "review"}},
    "auditor": {**VIEW_ALL, "audit": {"view"}, "users": {"view"}, "updates": {"view"},
                "reviews": {"view"}, "surveys": {"view"}, "content": {"view"}},
    "viewer": dict(VIEW_ALL),
    "marketer": {"hierarchy": {"view"}, "devices": {"view"}, "surveys": {"view", "manage"},
                 "content": {"view", "manage"}},
}  # fmt: skip
ROLES = ["chief", "operator", "regional", "station", "reviewer", "viewer", "auditor", "marketer"]


def may(w: World, user: str, section: str, function: str) -> bool:
    role, _ = w.users[user]
    return role == "admin" or function in ROLE_FUNCTIONS[role].get(section, set())


def everywhere(w: World, user: str) -> bool:
    return w.users[user][1].kind == "all"


@dataclass(frozen=True)
class Rule:
    """How one route is reached and who may: ``section``/``function``; ``obj`` fills the path
    for an object "in" or "out" of the scoped roles' scope (None: the route has no object);
    ``body`` for requests that send one; ``all_only``: only a grant over everything reaches it
    (organisations, users, the audit log); ``own``: the path names a user, allowed for oneself
    and for user managers over everything."""

    section: str = ""
    function: str = ""
    obj: Callable[[World, str, str], str] | None = None
    body: Callable[[World, str], Any] | None = None
    all_only: bool = False
    own: bool = False
    public: bool = False
    form: bool = False
    network: bool = False  # the object is the whole network's (a scenario, a file): no scope


def dev(w: World, where: str, user: str) -> str:
    return w.device[where]


def rec(w: World, where: str, user: str) -> str:
    return str(w.recording[where])


def alert(w: World, where: str, user: str) -> str:
    return str(w.alert[where])


def review(w: World, where: str, user: str) -> str:
    return str(w.review[where])


def svc(w: World, where: str, user: str) -> str:
    return str(w.service[where])


def clip(w: World, where: str, user: str) -> str:
    return f"{w.service[where]}/clips/{w.clip[where]}/audio"


def cmd(w: World, where: str, user: str) -> str:
    return w.command[where]


def station(w: World, where: str, user: str) -> str:
    return "st-n1" if where == "in" else "st-e1"


def org(w: World, where: str, user: str) -> str:
    return str(w.org if where == "in" else w.other_org)


def region(w: World, where: str, user: str) -> str:
    return str(w.north if where == "in" else w.east)


def self_or_other(w: World, where: str, user: str) -> str:
    return user if where == "in" else "target"


def scen(w: World, where: str, user: str) -> str:
    return "m1"


def sha(w: World, where: str, user: str) -> str:
    return "0" * 64


SCENARIO_EDIT = {"name": "m", "target": {"all": True}, "survey": {"trigger": "never"}}
SCENARIO = {"id": "m1", **SCENARIO_EDIT}

PUBLIC = Rule(public=True)
TABLE: dict[tuple[str, str], Rule] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("POST", "/api/v1/session"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    ("GET", "/metrics"): Rule("system", "view"),
    ("GET", "/api/v1/ingest"): Rule("system", "view"),
    ("GET", "/api/v1/devices"): Rule("devices", "view"),
    ("POST", "/api/v1/devices"): Rule(
        "devices",
        "manage",
        obj=lambda w, where, u: "",
        body=lambda w, where: {
            "id": w.device[where],
            "kind": "badge",
            "station": station(w, where, ""),
        },
    ),
    ("GET", "/api/v1/devices/{device_id}"): Rule("devices", "view", dev),
    ("GET", "/api/v1/devices/{device_id}/telemetry"): Rule("devices", "view", dev),
    ("GET", "/api/v1/devices/{device_id}/telemetry/hourly"): Rule("devices", "view", dev),
    ("GET", "/api/v1/devices/{device_id}/events"): Rule("devices", "view", dev),
    ("POST", "/api/v1/devices/{device_id}/commands"): Rule(
        "devices", "command", dev, body=lambda w, where: {"op": "ping"}
    ),
    ("GET", "/api/v1/devices/{device_id}/commands"): Rule("devices", "view", dev),
    ("GET", "/api/v1/commands/{command_id}"): Rule("devices", "view", cmd),
    ("POST", "/api/v1/devices/{device_id}/decommission"): Rule("devices", "manage", dev),
    ("PUT", "/api/v1/devices/{device_id}/station"): Rule(
        "devices", "manage", dev, body=lambda w, where: {"station": station(w, where, "")}
    ),
    ("GET", "/api/v1/stations"): Rule("hierarchy", "view"),
    ("GET", "/api/v1/hierarchy"): Rule("hierarchy", "view"),
    ("POST", "/api/v1/organisations"): Rule(
        "hierarchy", "manage", body=lambda w, where: {"name": "acme"}, all_only=True
    ),
    ("PUT", "/api/v1/organisations/{organisation_id}"): Rule(
        "hierarchy",
        "manage",
        org,
        body=lambda w, where: {"name": "acme" if where == "in" else "other"},
        all_only=True,
    ),
    ("POST", "/api/v1/regions"): Rule(
        "hierarchy",
        "manage",
        body=lambda w, where: {"name": "north", "organisation_id": w.org},
        all_only=True,
    ),
    ("PUT", "/api/v1/regions/{region_id}"): Rule(
        "hierarchy",
        "manage",
        region,
        body=lambda w, where: (
            {"name": "north", "organisation_id": w.org}
            if where == "in"
            else {"name": "east", "organisation_id": w.other_org}
        ),
        all_only=True,
    ),
    ("PUT", "/api/v1/stations/{station_id}"): Rule(
        "hierarchy",
        "manage",
        station,
        body=lambda w, where: {
            "id": station(w, where, ""),
            "name": "Station",
            "region_id": w.north if where == "in" else w.east,
        },
    ),
    ("GET", "/api/v1/recordings"): Rule("recordings", "view"),
    ("GET", "/api/v1/recordings/{recording_id}"): Rule("recordings", "view", rec),
    ("GET", "/api/v1/recordings/{recording_id}/audio"): Rule("recordings", "download", rec),
    ("GET", "/api/v1/recordings/{recording_id}/enhanced"): Rule("recordings", "download", rec),
    ("GET", "/api/v1/alerts"): Rule("alerts", "view"),
    ("GET", "/api/v1/alerts/{alert_id}"): Rule("alerts", "view", alert),
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): Rule("alerts", "acknowledge", alert),
    ("POST", "/api/v1/alerts/{alert_id}/resolve"): Rule("alerts", "acknowledge", alert),
    ("POST", "/api/v1/alerts/{alert_id}/notes"): Rule(
        "alerts", "acknowledge", alert, body=lambda w, where: {"text": "seen"}
    ),
    # Releases have no station: the same (missing) release in and out of scope
    ("GET", "/api/v1/releases"): Rule("updates", "view"),
    ("POST", "/api/v1/releases"): Rule("updates", "release"),
    ("GET", "/api/v1/releases/{release_id}"): Rule("updates", "view", lambda w, where, u: "1"),
    ("POST", "/api/v1/releases/{release_id}/yank"): Rule(
        "updates", "release", lambda w, where, u: "1", body=lambda w, where: {"reason": "test"}
    ),
    ("POST", "/api/v1/devices/{device_id}/update"): Rule(
        "updates", "deploy", dev, body=lambda w, where: {"release": 1}
    ),
    ("GET", "/api/v1/updates"): Rule("updates", "view"),
    ("GET", "/api/v1/bundles/{token}"): PUBLIC,  # the device's token is its credential
    ("GET", "/api/v1/rollouts"): Rule("updates", "view"),
    ("POST", "/api/v1/rollouts"): Rule(
        "updates",
        "deploy",
        body=lambda w, where: {"name": "r", "release": 1, "waves": [{"pct": 100}]},
    ),
    ("GET", "/api/v1/rollouts/{rollout_id}"): Rule("updates", "view", lambda w, where, u: "1"),
    ("POST", "/api/v1/rollouts/{rollout_id}/action"): Rule(
        "updates", "deploy", lambda w, where, u: "1", body=lambda w, where: {"action": "pause"}
    ),
    ("GET", "/api/v1/checklists"): Rule("reviews", "view"),
    ("POST", "/api/v1/checklists"): Rule(
        "reviews",
        "manage",
        body=lambda w, where: {
            "family": "f",
            "name": "n",
            "service_type": "shop",
            "items": [{"key": "k", "text": "t"}],
        },
    ),
    ("GET", "/api/v1/reviews"): Rule("reviews", "view"),
    ("POST", "/api/v1/reviews"): Rule(
        "reviews",
        "review",
        obj=lambda w, where, u: "",
        body=lambda w, where: {"template": 1, "station": station(w, where, ""), "answers": {}},
    ),
    ("GET", "/api/v1/reviews/{review_id}"): Rule("reviews", "view", review),
    ("POST", "/api/v1/reviews/{review_id}/appeal"): Rule(
        "reviews", "appeal", review, body=lambda w, where: {"comment": "unfair"}
    ),
    ("POST", "/api/v1/reviews/{review_id}/resolve"): Rule(
        "reviews", "resolve", review, body=lambda w, where: {"decision": "uphold", "comment": "ok"}
    ),
    ("GET", "/api/v1/reviews/report"): Rule("reviews", "view"),
    ("GET", "/api/v1/reviews/items"): Rule("reviews", "view"),
    ("GET", "/api/v1/reviews/export"): Rule("reviews", "view"),
    ("GET", "/api/v1/services"): Rule("reviews", "view"),
    ("GET", "/api/v1/ratings"): Rule("surveys", "view"),
    ("GET", "/api/v1/ratings/report"): Rule("surveys", "view"),
    ("GET", "/api/v1/ratings/reasons"): Rule("surveys", "view"),
    ("GET", "/surveys"): Rule("surveys", "view"),
    ("GET", "/surveys/scenarios"): Rule("surveys", "manage"),
    ("GET", "/content"): Rule("content", "view"),
    ("GET", "/api/v1/scenarios"): Rule("surveys", "view"),
    ("POST", "/api/v1/scenarios"): Rule("surveys", "manage", body=lambda w, where: SCENARIO),
    ("GET", "/api/v1/scenarios/{scenario_id}"): Rule("surveys", "view", scen, network=True),
    ("PUT", "/api/v1/scenarios/{scenario_id}"): Rule(
        "surveys", "manage", scen, body=lambda w, where: SCENARIO_EDIT, network=True
    ),
    ("DELETE", "/api/v1/scenarios/{scenario_id}"): Rule("surveys", "manage", scen, network=True),
    ("GET", "/api/v1/scenarios/{scenario_id}/versions/{version}"): Rule(
        "surveys", "view", lambda w, where, u: "m1/versions/1", network=True
    ),
    ("GET", "/api/v1/screens"): Rule("surveys", "manage"),
    ("GET", "/api/v1/screens/{device_id}/preview"): Rule(
        "surveys", "manage", lambda w, where, u: "kiosk-m1", network=True
    ),
    ("GET", "/api/v1/screens/{token}/plan"): PUBLIC,
    ("GET", "/api/v1/screens/{token}/content/{sha256}"): PUBLIC,
    ("GET", "/api/v1/plays"): Rule("surveys", "view"),
    ("GET", "/api/v1/plays/report"): Rule("surveys", "view"),
    ("GET", "/api/v1/content"): Rule("content", "view"),
    ("POST", "/api/v1/content"): Rule("content", "manage"),
    ("GET", "/api/v1/content/{sha256}"): Rule("content", "view", sha, network=True),
    ("GET", "/api/v1/content/{sha256}/thumbnail"): Rule(
        "content", "view", lambda w, where, u: f"{'0' * 64}/thumbnail", network=True
    ),
    ("GET", "/api/v1/content/{sha256}/file"): Rule(
        "content", "view", lambda w, where, u: f"{'0' * 64}/file", network=True
    ),
    ("DELETE", "/api/v1/content/{sha256}"): Rule("content", "manage", sha, network=True),
    ("GET", "/api/v1/services/queue"): Rule("reviews", "review"),
    ("GET", "/api/v1/services/{service_id}"): Rule("reviews", "view", svc),
    ("GET", "/api/v1/services/{service_id}/clips/{clip_id}/audio"): Rule("reviews", "view", clip),
    ("DELETE", "/api/v1/session"): Rule("account", "use"),
    ("GET", "/api/v1/me"): Rule("account", "use"),
    ("POST", "/api/v1/me/password"): Rule(
        "account", "use", body=lambda w, where: {"current": PASSWORD, "new": PASSWORD}
    ),
    ("GET", "/api/v1/users"): Rule("users", "view", all_only=True),
    ("POST", "/api/v1/users"): Rule(
        "users", "manage", body=lambda w, where: {"name": "target"}, all_only=True
    ),
    ("GET", "/api/v1/users/{user_name}"): Rule(
        "users", "view", lambda w, where, u: "target", all_only=True
    ),
    ("PUT", "/api/v1/users/{user_name}"): Rule(
        "users",
        "manage",
        lambda w, where, u: "target",
        body=lambda w, where: {"disabled": False},
        all_only=True,
    ),
    ("POST", "/api/v1/users/{user_name}/password"): Rule(
        "users",
        "manage",
        lambda w, where, u: "target",
        body=lambda w, where: {"password": PASSWORD},
        all_only=True,
    ),
    ("GET", "/api/v1/users/{user_name}/tokens"): Rule("users", "view", self_or_other, own=True),
    ("POST", "/api/v1/users/{user_name}/tokens"): Rule(
        "users",
        "manage",
        self_or_other,
        body=lambda w, where: {"name": "made-" + where},
        own=True,
    ),
    ("DELETE", "/api/v1/users/{user_name}/tokens/{token_name}"): Rule(
        "users",
        "manage",
        lambda w, where, u: self_or_other(w, where, u) + "/tokens/nothing",
        own=True,
    ),
    ("GET", "/api/v1/users/{user_name}/subscriptions"): Rule(
        "users", "view", self_or_other, own=True
    ),
    ("POST", "/api/v1/users/{user_name}/subscriptions"): Rule(
        "users",
        "manage",
        self_or_other,
        body=lambda w, where: {"channel": "webhook", "address": "http://127.0.0.1:9/x"},
        own=True,
    ),
    ("DELETE", "/api/v1/users/{user_name}/subscriptions/{subscription_id}"): Rule(
        "users",
        "manage",
        lambda w, where, u: self_or_other(w, where, u) + "/subscriptions/999",
        own=True,
    ),
    ("GET", "/api/v1/audit"): Rule("audit", "view", all_only=True),
    ("GET", "/api/v1/audit.csv"): Rule("audit", "view", all_only=True),
    ("GET", "/api/v1/live"): Rule("devices", "view"),
    ("POST", "/logout"): Rule("account", "use", form=True),
    ("GET", "/"): Rule("devices", "view"),
    ("GET", "/devices"): Rule("devices", "view"),
    ("GET", "/devices/{device_id}"): Rule("devices", "view", dev),
    ("GET", "/alerts"): Rule("alerts", "view"),
    ("GET", "/audit"): Rule("audit", "view", all_only=True),
    ("GET", "/users"): Rule("users", "view", all_only=True),
    ("GET", "/hierarchy"): Rule("hierarchy", "view"),
    ("GET", "/account"): Rule("account", "use"),
    ("GET", "/updates"): Rule("updates", "view"),
    ("GET", "/updates/rollouts/{rollout_id}"): Rule("updates", "view", lambda w, where, u: "1"),
    ("GET", "/reviews"): Rule("reviews", "view"),
    ("GET", "/reviews/reports"): Rule("reviews", "view"),
    ("GET", "/reviews/services/{service_id}"): Rule("reviews", "view", svc),
    ("GET", "/reviews/{review_id}"): Rule("reviews", "view", review),
}


def _url(path: str, rule: Rule, w: World, where: str, user: str) -> str:
    if rule.obj is None:
        return path
    value = rule.obj(w, where, user)
    if "/" in value:  # the rule fills the rest of the path itself
        return path.split("{")[0] + value
    head, _, tail = path.partition("{")
    return head + value + tail.partition("}")[2] if "{" in path else path


async def _status(http: aiohttp.ClientSession, method: str, url: str, body: Any) -> int:
    kwargs: dict[str, Any] = {"allow_redirects": False}
    if body is not None:
        kwargs["json"] = body
    async with http.request(method, url, **kwargs) as r:
        return r.status  # streams (audio, live events) are not read: the status is enough


def expected(w: World, user: str, rule: Rule, where: str) -> bool:
    if rule.section == "account":
        return True
    if rule.own:
        return where == "in" or (may(w, user, "users", rule.function) and everywhere(w, user))
    allowed = may(w, user, rule.section, rule.function)
    if rule.all_only or (rule.obj is not None and where == "out" and not rule.network):
        allowed = allowed and everywhere(w, user)
    return allowed


@pytest.fixture
async def world(fleet: RunningFleet) -> World:
    from fleet.state import OBJECTS

    return await build(fleet.app[OBJECTS])


def _served(fleet: RunningFleet) -> set[tuple[str, str]]:
    return {
        (r.method, r.resource.canonical)
        for r in fleet.app.router.routes()
        if r.resource is not None and r.method != "HEAD"
    }


async def test_every_route_is_in_the_matrix(fleet: RunningFleet) -> None:
    served = _served(fleet)
    missing = served - set(TABLE)
    assert not missing, f"routes without a matrix entry: {sorted(missing)}"
    assert not set(TABLE) - served, f"matrix entries for no route: {set(TABLE) - served}"


async def test_anonymous_gets_401_everywhere_but_public_routes(
    fleet: RunningFleet, world: World
) -> None:
    async with aiohttp.ClientSession() as http:
        for (method, path), rule in TABLE.items():
            url = fleet.url + _url(path, rule, world, "in", "chief").lstrip("/")
            if path == "/static":
                url = fleet.url + "static/office.css"
            status = await _status(http, method, url, rule.body(world, "in") if rule.body else None)
            if rule.public:
                assert status != 401, (method, path, status)
            else:
                assert status == 401, (method, path, status)


@pytest.mark.parametrize("user", ROLES)
async def test_each_role_in_and_out_of_scope(fleet: RunningFleet, world: World, user: str) -> None:
    wrong = []
    async with aiohttp.ClientSession(headers=bearer(world, user)) as http:
        for (method, path), rule in TABLE.items():
            if rule.public:
                continue
            for where in ("in", "out") if rule.obj is not None else ("in",):
                url = fleet.url + _url(path, rule, world, where, user).lstrip("/")
                body = rule.body(world, where) if rule.body else None
                status = await _status(http, method, url, body)
                allowed = status not in (401, 403)
                if status >= 500 or allowed != expected(world, user, rule, where):
                    wrong.append((method, path, where, status))
    assert not wrong, f"{user}: {wrong}"


@pytest.mark.parametrize("user", ["regional", "station", "viewer", "reviewer"])
async def test_lists_show_nothing_out_of_scope(
    fleet: RunningFleet, world: World, user: str
) -> None:
    outside = [world.device["out"], "st-e1"]
    async with aiohttp.ClientSession(headers=bearer(world, user)) as http:
        for path in ("api/v1/devices", "api/v1/stations", "api/v1/hierarchy", "api/v1/recordings",
                     "api/v1/alerts", "", "devices", "alerts"):  # fmt: skip
            async with http.get(fleet.url + path) as r:
                if r.status == 403:
                    continue  # the whole section is closed to this role
                text = await r.text()
                assert r.status == 200, (path, r.status)
                for name in outside:
                    assert name not in text, (user, path, name)
        async with http.get(fleet.url + "api/v1/recordings") as r:
            ids = [item["id"] for item in (await r.json())["items"]]
        assert ids == [world.recording["in"]]
        if may(world, user, "devices", "view"):
            async with http.get(fleet.url + "api/v1/devices") as r:
                ids = [d["id"] for d in (await r.json())["items"]]
            assert ids == [world.device["in"]]  # and what is inside is there
