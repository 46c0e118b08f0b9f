"""The kiosk's screen in real headless Chromium (issue 21's "done when"): the agent replays a
labelled counter sequence; each session its detector starts brings the survey onto the page the
agent serves; the answers reach the fleet's NPS report through a real Mosquitto; a low score
is an SMS at a local HTTP gateway; with the broker down the kiosk keeps collecting (a tap storm
included: one answer per session) and delivers everything, in order, once it returns.
Screenshots (each layout: 1280x800 and 1920x1080, landscape and portrait) are written under the
test's temporary folder."""

import asyncio
import re
import threading
import time
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.async_api import Browser, Page, expect

from devtools.broker import MosquittoProcess
from edge_kiosk import counter_scenes as cs
from edge_kiosk.agent import KioskAgent
from edge_kiosk.config import parse_config
from fleet.devices.registry import DeviceSpec, register
from fleet.hierarchy.models import Station
from fleet.notify.outbox import subscribe
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.settings import NotifySettings
from fleet.surveys.models import Rating, Screen
from tests.conftest import _fleet_settings, eventually, running_fleet
from tests.office_world import PASSWORD
from tests.test_notifications import Inbox, inbox  # noqa: F401  (the fixture)
from tests.test_office_browser import browser  # noqa: F401  (the fixture)
from tests.test_office_reviews_browser import _log_in
from tests.test_scenarios import call, upload
from tests.test_screen_plan import write_video

KIOSK = "kiosk-0701"
STATION = "st-7"
PHOTOS = Path(__file__).resolve().parents[1] / ".cache" / "opencv"
LAYOUTS = [(1280, 800), (800, 1280), (1920, 1080), (1080, 1920)]
# three customers, served from about 12 s, 25 s and 40 s into the sequence
SCENE = cs.CounterScene(seconds=50, fps=5, seed=123, stay_s=(6.0, 10.0))


def scenario_body(playlist: list[str]) -> dict[str, Any]:
    return {"name": "Autumn", "priority": 100, "target": {"stations": [STATION]},
            "langs": ["ru", "en"], "texts": {"en": {"thanks": "Thank you, drive safely!"}},
            "survey": {"trigger": "start", "nps": True, "reasons_below": 7,
                       "reasons": [{"key": "slow", "text": {"ru": "Долго", "en": "Slow service"}},
                                   {"key": "price", "text": {"ru": "Цены", "en": "Prices"}}],
                       "staff": ["cashier"], "comment": True, "timeout_s": 8},
            "playlist": [{"content": sha, "seconds": 3} for sha in playlist]}  # fmt: skip


async def survey_fits(page: Page, folder: Path, name: str) -> None:
    """Each layout: every NPS target inside the screen and large enough for a finger."""
    for w, h in LAYOUTS:
        await page.set_viewport_size({"width": w, "height": h})
        await page.wait_for_timeout(50)
        for i in (0, 10):
            box = await page.locator(f"button[data-score='{i}']").bounding_box()
            assert box is not None and box["x"] >= 0 and box["y"] >= 0, (w, h, box)
            assert box["x"] + box["width"] <= w and box["y"] + box["height"] <= h, (w, h, box)
            assert min(box["width"], box["height"]) >= 48, (w, h, box)  # a fingertip
        await page.screenshot(path=str(folder / f"{name}-{w}x{h}.png"))
    await page.set_viewport_size({"width": 1280, "height": 800})


async def test_the_kiosk_screen_surveys_each_customer_and_keeps_answers_offline(
    broker: MosquittoProcess, tmp_path: Path, browser: Browser,  # noqa: F811
    inbox: tuple[Inbox, int, int],  # noqa: F811
) -> None:  # fmt: skip
    box, smtp_port, http_port = inbox
    shots = tmp_path / "screenshots"
    shots.mkdir()
    video, _ = cs.write(SCENE, PHOTOS, tmp_path / "counter", "counter")
    sms = NotifySettings(smtp_host="127.0.0.1", smtp_port=smtp_port,
                         sms_url=f"http://127.0.0.1:{http_port}/sms")  # fmt: skip
    settings = _fleet_settings(broker, tmp_path, notify_s=0.2, notify=sms)
    async with running_fleet(settings) as fleet:
        await Station.create(id=STATION, name="Seventh", timezone="Europe/Moscow")
        await register(DeviceSpec(KIOSK, "kiosk", STATION))
        mgr = await accounts.add_user(
            "st7-manager", None, [accounts.GrantSpec("station_manager", Scope("station", STATION))]
        )
        await subscribe(mgr.id, "sms", "+15550107", "warning")
        Image.new("RGB", (1280, 800), (230, 120, 20)).save(tmp_path / "orange.png")
        _, image = await upload(fleet, tmp_path / "orange.png")
        _, clip = await upload(fleet, write_video(tmp_path / "ad.mp4", "vp09", 2.0, (640, 360)))
        autumn = {"id": "autumn", **scenario_body([clip["sha256"], image["sha256"]])}
        status, _ = await call(fleet, "POST", "/api/v1/scenarios", autumn)
        assert status == 201
        agent = KioskAgent(parse_config({
            "device_id": KIOSK, "station": STATION,
            "broker": {"host": "127.0.0.1", "port": broker.config.port},
            "tele_interval_s": 2, "camera": f"file:{video}", "camera_fps": 5,
            "queue_dir": str(tmp_path / "queue"),
            "screen": {"port": 0, "dir": str(tmp_path / "screen"), "quota_mb": 64},
        }))  # fmt: skip
        assert agent.screen is not None
        stop = threading.Event()
        thread = threading.Thread(target=agent.run, args=(stop,))
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        thread.start()
        try:

            async def applied() -> bool:
                s = await Screen.get_or_none(device_id=KIOSK)
                return s is not None and s.state == "applied" and s.state_plan == s.plan_sha

            await eventually(applied, timeout=12)
            await page.goto(agent.screen.url)
            await expect(page.locator("body")).to_have_attribute("data-live", "1")
            await expect(page.locator("body")).to_have_attribute("data-mode", "ads")
            await expect(page.locator("#ads video, #ads img")).to_have_count(1)
            await page.screenshot(path=str(shots / "ads.png"))

            # customer 1: the survey comes with the session; a low score with its reasons
            await expect(page.locator("body")).to_have_attribute(
                "data-mode", "survey", timeout=30_000
            )
            first = agent.hub.session
            assert first is not None
            await survey_fits(page, shots, "nps")
            await page.click("#langs button[data-lang='en']")
            await expect(page.locator("#step h1")).to_have_text(
                "How likely are you to recommend us to a friend?"
            )
            await page.click("button[data-score='3']")
            await expect(page.locator("#step")).to_have_attribute("data-step", "reasons")
            await page.wait_for_timeout(450)  # the next step's targets wake after 400 ms
            await page.click("button[data-reason='slow']")
            await page.click("button[data-next]")
            await expect(page.locator("#step")).to_have_attribute("data-step", "staff:cashier")
            await page.wait_for_timeout(450)
            await page.click("button[data-stars='2']")
            await expect(page.locator("#step")).to_have_attribute("data-step", "comment")
            await page.wait_for_timeout(450)
            for key in "slow":
                await page.click(f"button[data-key='{key}']")
            await expect(page.locator("#comment-text")).to_have_text("slow")
            await page.screenshot(path=str(shots / "comment.png"))
            await page.click("button[data-send]")
            await expect(page.locator("#thanks-text")).to_have_text("Thank you, drive safely!")
            await page.screenshot(path=str(shots / "thanks.png"))

            r1 = await eventually(lambda: Rating.get_or_none(device_id=KIOSK), timeout=10)
            assert (r1.session, r1.nps, r1.reasons, r1.cashier, r1.comment, r1.lang) == (
                first["session"],
                3,
                ["slow"],
                2,
                "slow",
                "en",
            )
            await eventually(lambda: any("NPS 3" in t["text"] for t in box.texts), timeout=10)
            report = await fleet.get(f"api/v1/ratings/report?by=station&station={STATION}")
            (row,) = report["items"]
            assert row["answers"] == 1 and row["nps"] == -100.0 and row["few"] is True

            # the broker goes away: customer 2 still answers, kept on disk, sent once it is back
            broker.stop()
            survey = page.locator("body")
            await expect(survey).to_have_attribute("data-mode", "survey", timeout=30_000)
            await page.click("button[data-score='10']")
            await page.wait_for_timeout(450)
            await page.click("button[data-skip]")  # no staff rating
            await page.wait_for_timeout(450)
            await page.click("button[data-send]")
            await expect(survey).to_have_attribute("data-mode", "thanks")
            await eventually(lambda: len(agent.outbox) >= 1)
            assert await Rating.filter(device_id=KIOSK).count() == 1
            broker.start()

            # customer 3: a tap storm is one answer
            await expect(survey).to_have_attribute("data-mode", "survey", timeout=30_000)
            target = await page.locator("button[data-score='10']").bounding_box()
            assert target is not None
            for _ in range(14):  # a child hitting 10 every half second
                await page.mouse.click(target["x"] + 5, target["y"] + 5)
                await page.wait_for_timeout(500)
            await expect(survey).to_have_attribute("data-mode", "ads", timeout=30_000)
            log = await page.evaluate("window.screenLog")
            sent = [e for e in log if "rating" in e]
            assert [e["status"] for e in sent] == [202, 202, 202], sent  # one per session

            async def delivered() -> list[Rating]:
                rows = await Rating.filter(device_id=KIOSK).order_by("seq")
                return rows if len(rows) == 3 and not len(agent.outbox) else []

            try:
                rows = await eventually(delivered, timeout=30)
            except AssertionError:
                got = await Rating.filter(device_id=KIOSK).values_list("seq", "nps", "session")
                raise AssertionError(f"ratings {got}, outbox {len(agent.outbox)}") from None
            assert [r.nps for r in rows] == [3, 10, 10]  # in order, once each
            assert len({r.session for r in rows}) == 3

            # marketing edits the scenario in the web office: the screen has it within a minute
            office = await browser.new_page(viewport={"width": 1280, "height": 900})
            await accounts.add_user("marketing", PASSWORD, [accounts.GrantSpec("marketer")])
            await _log_in(office, fleet.url, "surveys/scenarios", "marketing")
            await office.click("#scenarios a:has-text('Autumn')")
            form = office.locator("form#builder")
            await form.locator("input[name=name]").fill("Autumn, images only")
            await form.locator(f"input[name=play][value='{clip['sha256']}']").uncheck()
            await office.screenshot(path=str(shots / "office-builder.png"), full_page=True)
            saved = time.monotonic()
            await form.locator("button[type=submit]").click()
            await expect(form.locator("[data-result]")).to_have_text(re.compile("saved: version 2"))

            async def on_screen() -> bool:
                log = await page.evaluate("window.screenLog")
                return any(e.get("state") == "autumn/2" for e in log)

            await eventually(on_screen, timeout=60, every=0.2)
            took = time.monotonic() - saved
            await expect(page.locator("#ads img")).to_have_count(1, timeout=10_000)
            assert took < 60, took
            await office.goto(fleet.url + "surveys")
            await expect(office.locator("#by-station tbody tr")).to_contain_text(STATION)
            await expect(office.locator("#reasons")).to_contain_text("slow")
            await office.screenshot(path=str(shots / "office-ratings.png"), full_page=True)
            await office.goto(fleet.url + "content")
            await expect(office.locator("#library tbody tr")).to_have_count(2)
            await office.screenshot(path=str(shots / "office-ads.png"), full_page=True)
        finally:
            stop.set()
            await asyncio.to_thread(thread.join, 20)
            await page.close()
