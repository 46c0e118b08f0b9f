"""Mystery-shopper reviews in headless Chromium, as the three people who use them: a reviewer
opens a service from the queue, sees its clip's waveform with the session's edges, steers the
player by keyboard, pins a comment to the player's time, fills the checklist (the MSI follows
the answers) and saves; the station's manager appeals; a regional manager changes the answers,
and the MSI shown is final again. Screenshots go to the test's temporary folder."""

import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from devtools.broker import MosquittoProcess
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.office.models import AuditEntry
from fleet.reviews import service_clips
from fleet.reviews.models import Review
from tests import test_service_clips as clip_world
from tests.conftest import _fleet_settings, eventually, running_fleet
from tests.office_world import PASSWORD
from tests.test_office_browser import browser  # noqa: F401  (the fixture)
from tests.test_reviews_api import TEMPLATE


async def _log_in(page: Page, url: str, path: str, name: str) -> None:
    await page.goto(url + path)  # sent to the login page, and back after it
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(url + path)


async def test_review_appeal_and_decision_in_the_browser(
    broker: MosquittoProcess,
    tmp_path: Path,
    browser: Browser,  # noqa: F811
) -> None:
    shots = tmp_path / "screenshots"
    async with running_fleet(_fleet_settings(broker, tmp_path)) as fleet:
        store = await clip_world.world(tmp_path)  # the fleet's own object folder
        await service_clips.collect()
        while await service_clips.build_due(store, clip_world.CFG, datetime.now(UTC)):
            pass
        for name, role, scope in (("rev", "reviewer", Scope("station", "st-1")),
                                  ("mgr", "station_manager", Scope("station", "st-1")),
                                  ("lead", "regional_manager", Scope())):  # fmt: skip
            await accounts.add_user(name, PASSWORD, [accounts.GrantSpec(role, scope)])
        await fleet.post("api/v1/checklists", TEMPLATE)

        # the reviewer: from the queue to a saved review
        page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
        await _log_in(page, fleet.url, "reviews", "rev")
        await page.locator("#queue a").first.click()
        await expect(page.locator("#wave")).to_be_visible()
        await expect(page.locator("[data-review-page]")).to_have_attribute(
            "data-painted", re.compile(r"^\d")
        )
        await page.keyboard.press("]")
        await page.keyboard.press("]")
        await expect(page.locator("#speed")).to_have_value("1.5")
        box = await page.locator("#wave").bounding_box()
        assert box is not None
        await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        root = page.locator("[data-review-page]")
        duration = float(await root.get_attribute("data-duration") or 0)
        await expect(page.locator("#comment-at")).not_to_have_text("0:00.0")
        at = await page.evaluate("document.getElementById('player').currentTime")
        assert abs(at - duration / 2) < 0.1 * duration
        await page.keyboard.press("c")  # to the comment field
        await page.keyboard.type("no loyalty card offered")
        await page.keyboard.press("Enter")
        await expect(page.locator("#new-comments li")).to_contain_text("no loyalty card offered")
        checklist = page.locator("#checklist")
        await checklist.locator("input[name=greeting][value=yes]").check()
        await expect(page.locator("#msi-preview")).to_have_text("100")
        await checklist.locator("input[name=loyalty][value=no]").check()
        await checklist.locator("input[name=receipt][value=yes]").check()
        await expect(page.locator("#msi-preview")).to_have_text("75")
        await page.screenshot(path=shots / "reviewing.png", full_page=True)
        await checklist.locator("button[type=submit]").click()
        review = page.locator("article.review")
        await expect(review.locator(".msi")).to_have_text("75")
        await expect(review.locator(".status")).to_have_text("final")
        await expect(review.locator(".comments")).to_contain_text("no loyalty card offered")
        (saved,) = await Review.all()
        assert saved.comments[0]["t_s"] > 0 and saved.staff == "anna"
        await eventually(lambda: AuditEntry.filter(action="review.listen", actor="rev").exists())
        await page.screenshot(path=shots / "reviewed.png", full_page=True)

        # the station manager appeals
        mgr = await (await browser.new_context()).new_page()
        await _log_in(mgr, fleet.url, f"reviews/{saved.id}", "mgr")
        await mgr.fill("form.appeal textarea[name=comment]", "the card was offered off mic")
        await mgr.click("form.appeal button[type=submit]")
        await expect(mgr.locator("article.review .status")).to_have_text("under appeal")
        await expect(mgr.locator(".appeals")).to_contain_text("the card was offered off mic")
        await mgr.screenshot(path=shots / "appealed.png", full_page=True)

        # the regional manager decides: the answers change, the MSI is final again
        lead = await (await browser.new_context()).new_page()
        await _log_in(lead, fleet.url, f"reviews/{saved.id}", "lead")
        form = lead.locator("form.resolve")
        await form.locator("input[name=loyalty][value=yes]").check()
        await form.locator("textarea[name=resolution]").fill("heard it at 0:40")
        await form.locator("button[value=change]").click()
        await expect(lead.locator("article.review .msi")).to_have_text("100")
        await expect(lead.locator("article.review .status")).to_have_text("final")
        await expect(lead.locator(".appeals")).to_contain_text("changed by lead")
        await lead.screenshot(path=shots / "resolved.png", full_page=True)
    for name in ("reviewing", "reviewed", "appealed", "resolved"):
        assert (shots / f"{name}.png").stat().st_size > 10_000
