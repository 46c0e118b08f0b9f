"""Checklists, reviews and appeals through the API with the access model: versioned templates,
a review scored with its MSI and time-stamped comments, a station manager's appeal, a
regional manager's decision, every step kept; refusals name the item or state at fault."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from openpyxl import load_workbook

from fleet.devices.registry import DeviceSpec, register
from fleet.notify.models import Delivery
from fleet.notify.outbox import subscribe
from fleet.office import accounts, export
from fleet.office.access import Scope
from fleet.office.models import AuditEntry
from fleet.reviews import service_clips
from fleet.reviews.models import ChecklistTemplate
from tests import test_service_clips as clip_world
from tests.conftest import RunningFleet, eventually
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


async def _raw(fleet: RunningFleet, user: str, path: str) -> tuple[int, bytes, str]:
    headers = {"Authorization": f"Bearer {TOKENS[user]}"}
    async with aiohttp.ClientSession(headers=headers) as http, http.get(fleet.url + path) as r:
        return r.status, await r.read(), r.content_type


async def test_services_queue_listening_notices_reports_and_exports(
    fleet: RunningFleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await clip_world.world(tmp_path)  # the fleet's own object folder
    await service_clips.collect()
    while await service_clips.build_due(store, clip_world.CFG, datetime.now(UTC)):
        pass
    for name, role, station in (("rev", "reviewer", "st-1"), ("mgr", "station_manager", "st-1"),
                                ("other", "station_manager", "st-9")):  # fmt: skip
        grant = accounts.GrantSpec(role, Scope("station", station))
        user = await accounts.add_user(name, PASSWORD, [grant])
        TOKENS[name] = await accounts.create_token(user, "tests")
        if name == "mgr":
            await subscribe(user.id, "webhook", "http://127.0.0.1:9/hook", "warning")
    template = await fleet.post("api/v1/checklists", TEMPLATE)

    status, listed = await _as(fleet, "rev", "GET", "api/v1/services?station=st-1")
    assert status == 200 and len(listed["items"]) == 5
    by_session = {s["session"]: s for s in listed["items"]}
    assert by_session["s-a-3"]["clip_state"] == "no_audio"
    assert by_session["s-a-3"]["clip_reason"] == "b-1: badge not worn; b-2: badge not worn"
    status, queue = await _as(fleet, "rev", "GET", "api/v1/services/queue?per_week=1")
    assert status == 200 and 1 <= len(queue["items"]) <= 2  # one per ISO week the hour spans
    assert all(s["clip_state"] == "ready" for s in queue["items"])
    sid = by_session["s-a-1"]["id"]
    status, one = await _as(fleet, "rev", "GET", f"api/v1/services/{sid}")
    (clip,) = one["clips"]
    assert status == 200 and len(clip["peaks"]) == service_clips.PEAK_BINS
    status, _ = await _as(fleet, "other", "GET", f"api/v1/services/{sid}")
    assert status == 403  # another station's manager
    status, wav, kind = await _raw(fleet, "rev", f"api/v1/services/{sid}/clips/{clip['id']}/audio")
    assert status == 200 and kind == "audio/wav" and wav[:4] == b"RIFF"
    # written once the stream is done, which may be just after the client has it all
    await eventually(lambda: AuditEntry.filter(action="review.listen", actor="rev").exists())
    assert await AuditEntry.filter(action="review.listen", actor="rev").count() == 1

    # a critical item failed: the review is capped and the station's manager is told
    answers = {"greeting": "yes", "loyalty": "yes", "receipt": "no"}
    body = {"template": template["id"], "station": "st-1", "service": sid, "answers": answers}
    status, review = await _as(fleet, "rev", "POST", "api/v1/reviews", body)
    assert status == 201, review
    assert (review["msi"], review["staff"], review["device"]) == (40.0, "anna", "b-1")
    (notice,) = await Delivery.filter(topic="review")
    assert notice.object_id == str(review["id"]) and "receipt" in notice.subject
    status, out = await _as(fleet, "rev", "POST", "api/v1/reviews", {**body, "service": 10**9})
    assert status == 404 and "no service" in out["error"]
    status, queue2 = await _as(fleet, "rev", "GET", "api/v1/services/queue?per_week=50")
    assert sid not in [s["id"] for s in queue2["items"]]  # reviewed: off the queue

    status, report = await _as(fleet, "mgr", "GET", "api/v1/reviews/report?by=staff&period=all")
    assert status == 200 and report["items"][0]["staff"] == "anna"
    assert report["items"][0]["critical_failed"] == 1 and report["items"][0]["service_s"] > 19
    status, items = await _as(fleet, "mgr", "GET", "api/v1/reviews/items")
    assert {i["item"]: i["pass_pct"] for i in items["items"]}["receipt"] == 0.0
    status, csv_bytes, kind = await _raw(fleet, "mgr", "api/v1/reviews/export?format=csv")
    lines = csv_bytes.decode().splitlines()
    assert status == 200 and kind == "text/csv" and len(lines) == 2 and "anna" in lines[1]
    status, xlsx, _ = await _raw(fleet, "mgr", "api/v1/reviews/report?by=station&format=xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx), read_only=True).active.values)
    assert status == 200 and rows[0][0] == "station" and rows[1][0] == "st-1"
    backwards = "since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z"
    status, out = await _as(fleet, "mgr", "GET", f"api/v1/reviews/report?{backwards}")
    assert status == 409 and "before" in out["error"]

    # a spreadsheet too long is refused before anything is sent, with the count
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 0)
    status, out = await _as(fleet, "mgr", "GET", "api/v1/reviews/export?format=xlsx")
    assert status == 409 and "1 rows do not fit a spreadsheet" in out["error"]

    # the clip's recordings expire: the review and its appeal go on, the service says why
    assert await service_clips.expire(store, datetime.now(UTC) + timedelta(seconds=1)) >= 1
    rid = review["id"]
    status, appealed = await _as(fleet, "mgr", "POST", f"api/v1/reviews/{rid}/appeal",
                                 {"comment": "the receipt was in the bag"})  # fmt: skip
    assert status == 201 and appealed["state"] == "under_appeal"
    status, one = await _as(fleet, "mgr", "GET", f"api/v1/services/{sid}")
    assert one["clips"] == [] and "expired" in one["clip_reason"]
    status, _, _ = await _raw(fleet, "mgr", f"api/v1/services/{sid}/clips/{clip['id']}/audio")
    assert status == 404
