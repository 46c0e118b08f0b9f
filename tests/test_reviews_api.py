"""Checklists, reviews and appeals through the API with the access model: versioned templates,
a review scored with its MSI and time-stamped comments, a station manager's appeal, a
regional manager's decision, every step kept; refusals name the item or state at fault."""

from typing import Any

import aiohttp

from fleet.devices.registry import DeviceSpec, register
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.reviews.models import ChecklistTemplate
from tests.conftest import RunningFleet
from tests.office_world import PASSWORD

TEMPLATE = {
    "family": "cashier-std", "name": "Cashier standard", "service_type": "cashier",
    "critical_cap": 40,
    "items": [
        {"key": "greeting", "text": "Greeted the customer", "weight": 2},
        {"key": "loyalty", "text": "Offered the loyalty card"},
        {"key": "receipt", "text": "Gave the receipt", "critical": True},
        {"key": "notes", "text": "Notes", "kind": "text"},
    ],
}  # fmt: skip


TOKENS: dict[str, str] = {}


async def _as(fleet: RunningFleet, user: str, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {TOKENS[user]}"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.request(method, fleet.url + path, json=body) as r,
    ):
        return r.status, await r.json()


async def test_review_appeal_and_resolution(fleet: RunningFleet) -> None:
    for dev, station in (("badge-0001", "st-1"), ("badge-0002", "st-2")):
        await register(DeviceSpec(dev, "badge", station))  # the stations, as the fleet has them
    for name, role, scope in (("rev", "reviewer", Scope("station", "st-1")),
                              ("mgr", "station_manager", Scope("station", "st-1")),
                              ("other", "station_manager", Scope("station", "st-2")),
                              ("lead", "regional_manager", Scope())):  # fmt: skip
        user = await accounts.add_user(name, PASSWORD, [accounts.GrantSpec(role, scope)])
        TOKENS[name] = await accounts.create_token(user, "tests")
    v1 = await fleet.post("api/v1/checklists", TEMPLATE)
    v2 = await fleet.post("api/v1/checklists", {**TEMPLATE, "name": "Cashier standard 2"})
    assert (v1["version"], v2["version"]) == (1, 2)
    bad = {**TEMPLATE, "items": [{"key": "a", "text": "x", "kind": "text", "critical": True}]}
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.post(fleet.url + "api/v1/checklists", json=bad) as r,
    ):
        assert r.status == 409 and "critical" in (await r.json())["error"]

    answers = {"greeting": "yes", "loyalty": "no", "receipt": "yes", "notes": "long queue"}
    comment = {"t_s": 12.5, "text": "no loyalty card offered"}
    status, review = await _as(fleet, "rev", "POST", "api/v1/reviews", {
        "template": v1["id"], "station": "st-1", "kiosk_session": "s-1-1",
        "answers": answers, "comments": [comment]})  # fmt: skip
    assert status == 201, review
    assert (review["msi"], review["final"]) == (75.0, True)
    assert review["comments"] == [{"t_s": 12.5, "text": "no loyalty card offered", "by": "rev"}]
    status, out = await _as(fleet, "rev", "POST", "api/v1/reviews", {
        "template": v1["id"], "station": "st-2", "answers": answers})  # fmt: skip
    assert status == 403  # outside the reviewer's scope
    status, out = await _as(fleet, "rev", "POST", "api/v1/reviews", {
        "template": v1["id"], "station": "st-1", "answers": {"greeting": "maybe"}})  # fmt: skip
    assert status == 409 and out["error"] == "greeting: answer yes, no or na"

    rid = review["id"]
    status, _ = await _as(fleet, "other", "POST", f"api/v1/reviews/{rid}/appeal", {"comment": "x"})
    assert status == 403  # another station's manager
    status, appealed = await _as(fleet, "mgr", "POST", f"api/v1/reviews/{rid}/appeal",
                                 {"comment": "the card was offered off camera"})  # fmt: skip
    assert status == 201 and appealed["state"] == "under_appeal" and appealed["final"] is False
    status, out = await _as(fleet, "mgr", "POST", f"api/v1/reviews/{rid}/appeal", {"comment": "y"})
    assert status == 409 and "under appeal already" in out["error"]
    status, out = await _as(fleet, "mgr", "POST", f"api/v1/reviews/{rid}/resolve",
                            {"decision": "uphold", "comment": "no"})  # fmt: skip
    assert status == 403  # a station manager does not resolve
    status, done = await _as(fleet, "lead", "POST", f"api/v1/reviews/{rid}/resolve", {
        "decision": "change", "comment": "heard on the clip at 0:40",
        "answers": {**answers, "loyalty": "yes"}})  # fmt: skip
    assert status == 200, done
    assert (done["msi"], done["state"]) == (100.0, "final")
    (appeal,) = done["appeals"]
    assert appeal["state"] == "changed" and appeal["before"]["msi"] == 75.0
    status, shown = await _as(fleet, "mgr", "GET", f"api/v1/reviews/{rid}")
    assert status == 200 and shown["appeals"][0]["resolver"] == "lead"
    status, listed = await _as(fleet, "other", "GET", "api/v1/reviews")
    assert status == 200 and listed["items"] == []  # nothing outside its station
    assert await ChecklistTemplate.filter(family="cashier-std").count() == 2
