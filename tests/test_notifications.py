"""Alerts that reach people, through real local servers: an SMTP server (aiosmtpd), a webhook
receiver and an HTTP SMS gateway (aiohttp). New alerts go to their scope's subscribers once,
unacknowledged ones escalate, a failing channel is retried with back-off, and a restart or a
flapping device floods nobody."""

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller

from devtools.broker import MosquittoProcess, free_port
from fleet.alerts.models import Alert
from fleet.devices.registry import DeviceSpec, register
from fleet.notify.models import Delivery
from fleet.notify.outbox import subscribe
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.settings import NotifySettings
from tests.conftest import RunningFleet, _fleet_settings, eventually, running_fleet

SECRET = "webhook signing secret"


@dataclass
class Inbox:
    """What the local servers received."""

    mails: list[Any] = field(default_factory=list)
    hooks: list[tuple[bytes, str]] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)
    sms_failures_left: int = 0


class _Smtp:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.inbox.mails.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
async def inbox() -> AsyncIterator[tuple[Inbox, int, int]]:
    """An SMTP server and one aiohttp server with the webhook and SMS gateway endpoints."""
    box = Inbox()
    smtp = Controller(_Smtp(box), hostname="127.0.0.1", port=free_port())
    smtp.start()

    async def hook(request: web.Request) -> web.Response:
        box.hooks.append((await request.read(), request.headers.get("X-CRMS-Signature", "")))
        return web.json_response({"ok": True})

    async def sms(request: web.Request) -> web.Response:
        if box.sms_failures_left:
            box.sms_failures_left -= 1
            return web.json_response({"error": "gateway busy"}, status=503)
        box.texts.append(await request.json())
        return web.json_response({"queued": True})

    app = web.Application()
    app.router.add_post("/hook", hook)
    app.router.add_post("/sms", sms)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield box, smtp.port, port
    finally:
        await runner.cleanup()
        smtp.stop()


@asynccontextmanager
async def _fleet(
    broker: MosquittoProcess, tmp_path: Path, smtp_port: int, http_port: int, **notify: Any
) -> AsyncIterator[RunningFleet]:
    settings = _fleet_settings(
        broker, tmp_path, health_s=0.2, notify_s=0.2,
        notify=NotifySettings(
            webhook_secret=SECRET, smtp_host="127.0.0.1", smtp_port=smtp_port,
            sms_url=f"http://127.0.0.1:{http_port}/sms", **notify,
        ),
    )  # fmt: skip
    async with running_fleet(settings) as running:
        yield running


async def _people(hook_port: int) -> None:
    at_st1 = accounts.GrantSpec("station_manager", Scope("station", "st-1"))
    sm = await accounts.add_user("sm", None, [at_st1])
    await subscribe(sm.id, "email", "sm@station.example", scope=Scope("station", "st-1"))
    await subscribe(sm.id, "sms", "+10000000001")
    rm = await accounts.add_user("rm", None, [accounts.GrantSpec("regional_manager")])
    await subscribe(rm.id, "webhook", f"http://127.0.0.1:{hook_port}/hook", escalation=True)
    # someone whose grants do not reach st-1 is not told, whatever they subscribed to
    at_st9 = accounts.GrantSpec("station_manager", Scope("station", "st-9"))
    far = await accounts.add_user("far", None, [at_st9])
    await subscribe(far.id, "email", "far@station.example")


async def test_alert_reaches_email_and_sms_once_then_escalates_to_a_signed_webhook(
    broker: MosquittoProcess, tmp_path: Path, inbox: tuple[Inbox, int, int]
) -> None:
    box, smtp_port, http_port = inbox
    box.sms_failures_left = 1  # the gateway refuses the first try: retried with back-off
    async with _fleet(
        broker, tmp_path, smtp_port, http_port,
        restart_grace_s=0.0, escalate_after_min=0.05, retry_first_s=0.5,
    ) as fleet:  # fmt: skip
        await _people(http_port)
        await register(DeviceSpec("badge-0001", "badge", "st-1"))  # never seen: offline
        await eventually(lambda: box.mails and box.texts and box.hooks, timeout=30)
        await asyncio.sleep(2.0)  # health runs every 0.2 s: nothing more may arrive
        (mail,) = box.mails
        assert mail["To"] == "sm@station.example"
        assert "badge-0001" in mail["Subject"] and "offline" in mail["Subject"]
        (text,) = box.texts
        assert text["to"] == "+10000000001" and "badge-0001" in text["text"]
        (hook,) = box.hooks  # the escalation: nobody acknowledged within 3 s
        body, sig = hook
        assert sig == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert json.loads(body)["subject"].startswith("Not acknowledged: [warning] badge-0001")
        alert = await Alert.get(device_id="badge-0001", rule="offline")
        assert alert.escalated_at is not None
        sms = await Delivery.get(channel="sms")
        assert sms.state == "sent" and sms.attempts == 2 and sms.last_error is None
        assert [a["ok"] for a in sms.log] == [False, True] and "503" in sms.log[0]["error"]
        view = await fleet.get(f"api/v1/alerts/{alert.id}")
        assert sorted((n["channel"], n["state"]) for n in view["notifications"]) == [
            ("email", "sent"), ("sms", "sent"), ("webhook", "sent"),
        ]  # fmt: skip


async def test_acknowledged_alerts_do_not_escalate(
    broker: MosquittoProcess, tmp_path: Path, inbox: tuple[Inbox, int, int]
) -> None:
    box, smtp_port, http_port = inbox
    async with _fleet(
        broker, tmp_path, smtp_port, http_port, restart_grace_s=0.0, escalate_after_min=0.05
    ) as fleet:
        await _people(http_port)
        await register(DeviceSpec("badge-0001", "badge", "st-1"))
        alert = await eventually(lambda: Alert.get_or_none(device_id="badge-0001"))
        await fleet.post(f"api/v1/alerts/{alert.id}/acknowledge", {})
        await fleet.post(f"api/v1/alerts/{alert.id}/notes", {"text": "on my way"})
        await asyncio.sleep(4.0)
        assert box.hooks == []
        view = await fleet.get(f"api/v1/alerts/{alert.id}")
        assert view["acknowledged_by"] == "admin" and view["escalated_at"] is None
        assert view["notes"][0]["text"] == "on my way"


async def test_a_restart_floods_nobody(
    broker: MosquittoProcess, tmp_path: Path, inbox: tuple[Inbox, int, int]
) -> None:
    box, smtp_port, http_port = inbox
    async with _fleet(broker, tmp_path, smtp_port, http_port, restart_grace_s=3600.0):
        await _people(http_port)
        for i in range(5):  # a fleet that just started sees every silent device offline
            await register(DeviceSpec(f"badge-{i:04d}", "badge", "st-1"))
        await eventually(lambda: _count(Alert.filter(rule="offline"), 5), timeout=10)
        await asyncio.sleep(1.0)
        assert box.mails == [] and box.texts == [] and await Delivery.all().count() == 0
        held = await Alert.filter(rule="offline").values_list("suppressed", flat=True)
        assert held == [1] * 5  # the held-back count is shown with each alert


async def _count(qs: Any, n: int) -> bool:
    return bool(await qs.count() == n)


async def test_a_flapping_device_is_told_once(
    broker: MosquittoProcess, tmp_path: Path, inbox: tuple[Inbox, int, int]
) -> None:
    box, smtp_port, http_port = inbox
    async with _fleet(
        broker, tmp_path, smtp_port, http_port, restart_grace_s=0.0, flap_window_s=3600.0
    ):
        await _people(http_port)
        await register(DeviceSpec("badge-0001", "badge", "st-1"))
        first = await eventually(lambda: Alert.get_or_none(device_id="badge-0001"))
        await eventually(lambda: box.mails, timeout=15)
        # the device came back (the rule cleared) and went away again: a flap
        await Alert.filter(id=first.id).update(closed_at=datetime.now(UTC), open_key=None)
        again = await eventually(
            lambda: Alert.filter(device_id="badge-0001", closed_at=None).first(), timeout=10
        )
        await asyncio.sleep(1.5)
        assert again.id != first.id and len(box.mails) == 1
        await again.refresh_from_db()
        assert again.suppressed == 1
