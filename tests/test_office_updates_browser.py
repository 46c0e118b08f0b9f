"""The web office's updates section in headless Chromium: an operator starts a rollout from
the form, watches its page follow the waves live, sees the health comparison that paused a
rebooting release, and pauses/aborts by its buttons; a station manager has no Updates
section. Screenshots go to the test's temporary folder (rollout.png among them)."""

import asyncio
import json
import os
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from crmsensor import release_keys as rk
from devtools.broker import MosquittoProcess
from devtools.sim.light_badge import Behaviour, fleet_of, run_badges
from fleet.devices.registry import DeviceSpec, register
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.settings import UpdateSettings
from fleet.state import OBJECTS
from fleet.updates import releases
from tests.conftest import _fleet_settings, running_fleet
from tests.office_world import PASSWORD
from tests.test_office_browser import browser  # noqa: F401  (the fixture)

PASS = b"correct horse battery"


async def _log_in(page: Page, url: str, name: str) -> None:
    await page.goto(url + "login")
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator("h1")).to_have_text("Fleet overview")


async def test_a_rollout_from_the_web_office(
    broker: MosquittoProcess,
    tmp_path: Path,
    browser: Browser,  # noqa: F811
) -> None:
    key = rk.new_key(tmp_path / "release.pem", PASS)
    trusted = tmp_path / "trusted.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    shots = tmp_path / "screenshots"
    settings = _fleet_settings(broker, tmp_path, updates=UpdateSettings(str(trusted)),
                               rollout_s=0.3, sweep_s=0.3)  # fmt: skip
    badges = fleet_of(8, broker.config.port, tele_s=1.0,
                      behaviours={"0.4.0": Behaviour(reboot_every_s=1.0)})  # fmt: skip
    stop = asyncio.Event()
    async with running_fleet(settings) as fleet:
        for b in badges:
            await register(DeviceSpec(b.device_id, "badge", "st-1", "badge-r1"))
        await accounts.add_user("ops", PASSWORD, [accounts.GrantSpec("operator", Scope())])
        manager = accounts.GrantSpec("station_manager", Scope("station", "st-1"))
        await accounts.add_user("manager", PASSWORD, [manager])
        bundle = tmp_path / "app.tar"
        bundle.write_bytes(os.urandom(3000))
        body, sig = rk.sign_release(bundle, key, version="0.4.0", kind="badge-app",
                                    hw=["badge-r1"])  # fmt: skip
        await releases.store_release(fleet.app[OBJECTS], releases.trusted_keys(str(trusted)),
                                     body, sig, bundle, "ops")  # fmt: skip
        runner = asyncio.create_task(run_badges(badges, stop))
        try:
            page = await (
                await browser.new_context(viewport={"width": 1280, "height": 900})
            ).new_page()
            await _log_in(page, fleet.url, "ops")
            await page.click("nav >> text=Updates")
            await expect(page.locator("#releases")).to_contain_text("0.4.0")
            form = page.locator("#new-rollout")
            await form.locator("input[name=name]").fill("night update")
            await form.locator("input[name=waves]").fill('[{"pct": 25}, {"pct": 100}]')
            await form.locator("input[name=wave_gap_s]").fill("3600")
            await form.locator("input[name=success_pct]").fill("50")
            await form.locator("input[name=window]").fill("{}")
            await form.locator("input[name=gate]").fill('{"min_hours": 0.002, "window_s": 600}')
            await form.locator("button[type=submit]").click()
            await expect(page.locator("#rollouts")).to_contain_text("night update")
            await page.click("#rollouts >> text=night update")
            await expect(page.locator("h1")).to_contain_text("night update")
            await expect(page.locator("#waves")).to_contain_text("25%")
            # The page follows the rollout by itself: the updated pair reboots every second,
            # the gate pauses it, the page reloads with the comparison
            await expect(page.locator("#state")).to_have_text("paused", timeout=60_000)
            await expect(page.locator("#reason")).to_contain_text("health gate")
            await expect(page.locator("#findings")).to_contain_text("worse")
            await expect(page.locator("#health")).to_contain_text("Reboots")
            await page.screenshot(path=shots / "rollout.png", full_page=True)
            assert (shots / "rollout.png").stat().st_size > 10_000
            await page.click("button[data-action=abort]")
            await expect(page.locator("#state")).to_have_text("aborted")
            await expect(page.locator("#rollout-log")).to_contain_text("aborted: by ops")
            await page.screenshot(path=shots / "updates.png", full_page=True)

            # A station manager has no Updates section and is refused its pages
            other = await (await browser.new_context()).new_page()
            await _log_in(other, fleet.url, "manager")
            await expect(other.locator("nav")).not_to_contain_text("Updates")
            response = await other.goto(fleet.url + "updates")
            assert response is not None and response.status == 403
        finally:
            stop.set()
            await asyncio.wait_for(runner, 10)
