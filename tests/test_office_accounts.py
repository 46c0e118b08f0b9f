"""Accounts and bad input in the web office: passwords rate limited then locked, sessions and
their cookies, CSRF, revoked tokens, address allow-lists, escaping, oversized and malformed
requests. Each bad request gets a clear 4xx, is audited once, and changes nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from fleet.devices.models import Command
from fleet.devices.registry import DeviceSpec, register
from fleet.hierarchy import stations
from fleet.office import accounts, audit
from fleet.office.models import AuditEntry, LoginSession, User
from tests.conftest import RunningFleet

PASSWORD = "a long enough password"


async def _login(
    http: aiohttp.ClientSession, fleet: RunningFleet, name: str, password: str
) -> tuple[int, dict[str, Any]]:
    async with http.post(
        fleet.url + "api/v1/session", json={"name": name, "password": password}
    ) as r:
        return r.status, await r.json()


async def _me_status(fleet: RunningFleet, cookie: str) -> int:
    headers = {"Cookie": f"crms_session={cookie}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(fleet.url + "api/v1/me", headers=headers) as r,
    ):
        return r.status


async def test_wrong_passwords_lock_the_account_until_an_admin_resets_it(
    fleet: RunningFleet,
) -> None:
    await accounts.add_user("ana", PASSWORD, [accounts.GrantSpec("viewer")])
    async with aiohttp.ClientSession() as http:
        for _ in range(accounts.ACCOUNT_FAILURES):
            status, body = await _login(http, fleet, "ana", "wrong password!")
            assert status == 401 and body["error"] == "wrong user name or password"
        status, body = await _login(http, fleet, "ana", PASSWORD)  # the right one, too late
        assert status == 423 and "locked" in body["error"]
        # an unknown name answers like a wrong password: names cannot be probed
        status, body = await _login(http, fleet, "nobody", "whatever it is")
        assert status == 401 and body["error"] == "wrong user name or password"
    await fleet.post("api/v1/users/ana/password", {"password": "another long password"})
    async with aiohttp.ClientSession() as http:
        status, body = await _login(http, fleet, "ana", "another long password")
        assert status == 200 and body["user"] == "ana"
    failed = AuditEntry.filter(action="POST /api/v1/session", result__in=("denied", "refused"))
    assert await failed.count() == accounts.ACCOUNT_FAILURES + 1 + 1  # each logged once
    assert await AuditEntry.filter(actor="ana", status=423).count() == 1


async def test_a_lock_ends_by_itself(fleet: RunningFleet) -> None:
    await accounts.add_user("ben", PASSWORD, [accounts.GrantSpec("viewer")])
    user = await User.get(name="ben")
    user.locked_until = datetime.now(UTC) - timedelta(seconds=1)  # the lock's time has run out
    await user.save()
    async with aiohttp.ClientSession() as http:
        assert (await _login(http, fleet, "ben", PASSWORD))[0] == 200


async def test_too_many_failures_from_one_address_are_refused(fleet: RunningFleet) -> None:
    async with aiohttp.ClientSession() as http:
        for i in range(accounts.ADDRESS_FAILURES):
            assert (await _login(http, fleet, f"guess-{i}", "wrong password"))[0] == 401
        status, body = await _login(http, fleet, "admin", "wrong password")
        assert status == 429 and "this address" in body["error"]


async def test_session_cookie_csrf_rotation_logout_and_expiry(fleet: RunningFleet) -> None:
    await register(DeviceSpec("badge-0001", "badge", "st-1"))
    await accounts.add_user("op", PASSWORD, [accounts.GrantSpec("operator")])
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        status, first = await _login(http, fleet, "op", PASSWORD)
        assert status == 200
        old_cookie = next(c for c in jar if c.key == "crms_session").value
        async with http.post(
            fleet.url + "api/v1/session", json={"name": "op", "password": PASSWORD}
        ) as r:
            set_cookie = r.headers["Set-Cookie"]
            second = await r.json()
        assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
        assert "Secure" not in set_cookie  # plain HTTP here; under TLS the flag is set
        # rotation: logging in again gave a new session and ended the old one
        assert second["csrf"] != first["csrf"]
        new_cookie = next(c for c in jar if c.key == "crms_session").value
        assert new_cookie != old_cookie
        assert await LoginSession.filter(id=accounts.secret_hash(old_cookie)).count() == 0

        url = fleet.url + "api/v1/devices/badge-0001/commands"
        before = await Command.all().count()
        async with http.post(url, json={"op": "ping"}) as r:
            assert r.status == 403 and "CSRF" in (await r.json())["error"]
        async with http.post(url, json={"op": "ping"}, headers={"X-CSRF-Token": "forged"}) as r:
            assert r.status == 403
        assert await Command.all().count() == before  # refused requests changed nothing
        async with http.post(
            url, json={"op": "ping"}, headers={"X-CSRF-Token": second["csrf"]}
        ) as r:
            assert r.status == 201
        async with http.delete(
            fleet.url + "api/v1/session", headers={"X-CSRF-Token": second["csrf"]}
        ) as r:
            assert r.status == 200
    # a stolen cookie is worthless once its session ended
    headers = {"Cookie": f"crms_session={new_cookie}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(fleet.url + "api/v1/me", headers=headers) as r,
    ):
        assert r.status == 401
    # and an expired one too
    cookie, _ = await accounts.login("op", PASSWORD, "127.0.0.1", datetime.now(UTC))
    await LoginSession.filter(id=accounts.secret_hash(cookie)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    headers = {"Cookie": f"crms_session={cookie}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(fleet.url + "api/v1/me", headers=headers) as r,
    ):
        assert r.status == 401


async def test_revoked_token_and_allow_list(fleet: RunningFleet) -> None:
    user = await accounts.add_user("script", None, [accounts.GrantSpec("viewer")])
    token = await accounts.create_token(user, "cron")
    auth = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=auth) as http:
        async with http.get(fleet.url + "api/v1/devices") as r:
            assert r.status == 200
        async with http.delete(fleet.url + "api/v1/users/script/tokens/cron") as r:
            assert r.status == 200  # a token may revoke itself (and an admin any)
        async with http.get(fleet.url + "api/v1/devices") as r:
            assert r.status == 401
    far = await accounts.add_user(
        "far", PASSWORD, [accounts.GrantSpec("viewer")], allow_cidrs=["10.20.0.0/16"]
    )
    far_token = await accounts.create_token(far, "t")
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {far_token}"}) as http,
        http.get(fleet.url + "api/v1/devices") as r,
    ):
        assert r.status == 403 and "127.0.0.1" in (await r.json())["error"]
    async with aiohttp.ClientSession() as http:
        status, body = await _login(http, fleet, "far", PASSWORD)
        assert status == 403 and "address" in body["error"]
    assert await AuditEntry.filter(actor="far", result="denied").count() >= 1


async def test_names_with_markup_are_escaped_on_every_page(fleet: RunningFleet) -> None:
    evil = '<script>alert("x")</script>'
    org = await stations.create_organisation(evil)
    region = await stations.save_region(None, evil, org.id)
    await stations.save_station("st-x", evil, region.id, "UTC", "")
    await register(DeviceSpec("badge-0666", "badge", "st-x", hw=evil, tags=[evil[:32]]))
    await fleet.post("api/v1/devices/badge-0666/commands", {"op": "set_config",
                                                            "args": {"name": evil}})  # fmt: skip
    await accounts.add_user("evil-user", None, [accounts.GrantSpec("viewer")])
    async with aiohttp.ClientSession(headers=fleet.auth) as http:
        for path in ("", "devices", "devices/badge-0666", "alerts", "audit", "users"):
            async with http.get(fleet.url + path) as r:
                text = await r.text()
                assert r.status == 200, path
                assert "<script>alert" not in text, path
        for path in ("", "devices/badge-0666"):  # shown, as text
            async with http.get(fleet.url + path) as r:
                assert "&lt;script&gt;alert" in await r.text(), path


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"x" * 20_000, "over 16 KiB"),
        (b"{not json", "must be JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"op": "ping", "ttl_s": -5}', "ttl_s"),
    ],
)
async def test_bad_bodies_are_refused_named_and_audited_once(
    fleet: RunningFleet, body: bytes, why: str
) -> None:
    await register(DeviceSpec("badge-0001", "badge", "st-1"))
    before = await AuditEntry.all().count()
    headers = {**fleet.auth, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.post(fleet.url + "api/v1/devices/badge-0001/commands", data=body) as r,
    ):
        assert r.status == 400 and why in (await r.json())["error"]
    assert await Command.all().count() == 0
    entries = await AuditEntry.all().order_by("id").offset(before)
    assert [(e.action, e.result, e.status) for e in entries] == [
        ("POST /api/v1/devices/{device_id}/commands", "refused", 400)
    ]


async def test_audit_log_filters_and_csv(fleet: RunningFleet) -> None:
    await register(DeviceSpec("badge-0001", "badge", "st-1"))
    await fleet.post("api/v1/devices/badge-0001/commands", {"op": "ping"})
    page = await fleet.get("api/v1/audit?object_id=badge-0001")
    (entry,) = page["items"]
    assert entry["actor"] == "admin" and entry["via"] == "token" and entry["result"] == "ok"
    assert entry["action"] == "POST /api/v1/devices/{device_id}/commands"
    csv_text = (await fleet.get("api/v1/audit.csv?actor=admin")).decode()
    assert csv_text.splitlines()[0].startswith("id,at,actor")
    assert "badge-0001" in csv_text
    # a cell a spreadsheet would run as a formula is defused
    assert audit.to_csv([{**entry, "actor": "=HYPERLINK(1)"}]).splitlines()[1].split(",")[2] == (
        "'=HYPERLINK(1)"
    )
