"""The web office as people use it: real headless Chromium (Debian's, driven by Playwright),
a fleet with a real badge (the firmware in the MicroPython unix port) on a real Mosquitto.
Log in, watch the badge go offline live when its process is killed, play a recording,
acknowledge an alert; a station manager sees only their station and is refused another's
recording. Screenshots of the main pages go to the test's temporary folder."""

import io
import math
import signal
import struct
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from devtools import procs
from devtools.broker import MosquittoProcess
from devtools.browser import CHROMIUM, FLAGS
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices
from fleet.alerts.models import Alert
from fleet.devices.models import Device
from fleet.devices.registry import DeviceSpec, register
from fleet.office.models import AuditEntry
from fleet.recordings.models import Recording
from fleet.state import OBJECTS
from tests.conftest import RunningFleet
from tests.office_world import PASSWORD, World, build


def _tone_wav(seconds: float = 1.0, rate: int = 16000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        w.writeframes(struct.pack(f"<{n}h", *(int(8000 * math.sin(i / 8)) for i in range(n))))
    return out.getvalue()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (./bootstrap.sh test installs it)"
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield b
        finally:
            await b.close()


async def _log_in(page: Page, url: str, name: str) -> None:
    await page.goto(url + "login")
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator("h1")).to_have_text("Fleet overview")


async def _real_recording(fleet: RunningFleet, w: World) -> int:
    data = _tone_wav()

    async def parts() -> AsyncIterator[bytes]:
        yield data

    key = "recordings/badge-in/r-tone.wav"
    await fleet.app[OBJECTS].put(key, parts())
    rec = await Recording.create(
        device_id="badge-in", station_id="st-n1", rec_id="r-tone", duration_ms=1000,
        codec="pcm16", rate=16000, size=len(data), sha256="0" * 64, object_key=key,
    )  # fmt: skip
    return rec.id


async def test_the_web_office_in_a_browser(
    fleet: RunningFleet, broker: MosquittoProcess, browser: Browser, tmp_path: Path
) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    w = await build(fleet.app[OBJECTS])
    tone = await _real_recording(fleet, w)
    await register(DeviceSpec("badge-live", "badge", "st-n1"))
    cfg = devices.badge_config(
        "badge-live", "st-n1", "127.0.0.1", broker.config.port, tele_interval_s=2, keepalive_s=5
    )
    path = devices.write_config(tmp_path / "badge-live.json", cfg)
    argv = devices.badge_command(path, devices.idle_scenario(tmp_path / "world"))
    badge = procs.spawn(argv, tmp_path / "badge-live.log", micropython_env())
    try:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await page.goto(fleet.url + "devices")
        await expect(page.locator("input[name=password]")).to_be_visible()  # login first
        await _log_in(page, fleet.url, "chief")
        await page.screenshot(path=shots / "overview.png", full_page=True)

        # Live: the badge comes online, then its process is killed; the row changes by itself.
        await page.goto(fleet.url + "devices")
        state = page.locator('tr[data-device="badge-live"] [data-field="state"]')
        await expect(state).to_have_text("online", timeout=30_000)
        await page.evaluate("window.__same_page = true")
        await page.screenshot(path=shots / "devices.png", full_page=True)
        procs.stop(badge, signal.SIGKILL)
        await expect(state).to_have_text("offline (lost)", timeout=20_000)
        assert await page.evaluate("window.__same_page === true"), "the page reloaded"

        # A recording plays in the device page's player, and the listen is audited.
        await page.goto(fleet.url + "devices/badge-in")
        player = page.locator(f'tr[data-recording="{tone}"] audio').first
        await player.evaluate("a => a.play()")
        await page.wait_for_function(
            f"document.querySelector('tr[data-recording=\"{tone}\"] audio').currentTime > 0.2"
        )
        await page.screenshot(path=shots / "device.png", full_page=True)
        assert await AuditEntry.filter(
            actor="chief", action="recording.listen", object_id=str(tone)
        ).exists()

        # An alert is acknowledged from the alerts page.
        await page.goto(fleet.url + "alerts")
        await page.click(f'button[data-ack="{w.alert["in"]}"]')
        row = page.locator(f'tr[data-alert="{w.alert["in"]}"] [data-field="ack"]')
        await expect(row).to_have_text("acknowledged by chief")
        alert = await Alert.get(id=w.alert["in"])
        assert alert.acknowledged_by == "chief"
        note = page.locator(f'tr[data-alert="{w.alert["in"]}"] form[data-api*="notes"]')
        await note.locator("input[name=text]").fill("badge swapped at the desk")
        await note.locator("button").click()
        await expect(note.locator("[data-result]")).to_have_text("done")
        await page.screenshot(path=shots / "alerts.png", full_page=True)
        # Forms: an organisation, a user, a token of one's own.
        await page.goto(fleet.url + "hierarchy")
        await page.fill("#new-organisation input[name=name]", "Gamma Fuel")
        await page.click("#new-organisation button")
        await expect(page.locator("#tree")).to_contain_text("Gamma Fuel")
        await page.fill("#move input[name=device_id]", "badge-live")
        await page.fill("#move input[name=station]", "st-n2")
        await page.click("#move button")
        await expect(page.locator("#move [data-result]")).to_have_text("done")
        assert (await Device.get(id="badge-live")).station_id == "st-n2"  # type: ignore[attr-defined]
        await page.screenshot(path=shots / "hierarchy.png", full_page=True)
        await page.goto(fleet.url + "users")
        await page.fill("#new-user input[name=name]", "newcomer")
        await page.fill("#new-user input[name=password]", "a long enough password")
        await page.select_option("#new-user select[name=role]", "viewer")
        await page.click("#new-user button")
        await expect(page.locator('tr[data-user="newcomer"]')).to_contain_text("viewer @ all")
        await page.screenshot(path=shots / "users.png", full_page=True)
        await page.goto(fleet.url + "account")
        await page.fill("#new-token input[name=name]", "my script")
        await page.click("#new-token button")
        await expect(page.locator("#new-token [data-result]")).to_contain_text("crms_")
        await page.screenshot(path=shots / "account.png", full_page=True)
        await page.goto(fleet.url + "audit")
        await page.screenshot(path=shots / "audit.png", full_page=True)
        await page.click("text=Log out")
        await expect(page.locator("input[name=password]")).to_be_visible()

        # A station manager: only their station, and 403 on another station's recording.
        phone = await browser.new_page(viewport={"width": 390, "height": 844})
        await _log_in(phone, fleet.url, "station")
        await phone.goto(fleet.url + "devices")
        ids = await phone.locator("tr[data-device]").evaluate_all(
            "rows => rows.map(r => r.dataset.device)"
        )
        assert ids == ["badge-in"]  # badge-live was moved to st-n2 above: out of their sight
        await phone.screenshot(path=shots / "devices-phone.png", full_page=True)
        other = await phone.request.get(fleet.url + f"api/v1/recordings/{w.recording['out']}/audio")
        assert other.status == 403
        mine = await phone.request.get(fleet.url + f"api/v1/recordings/{tone}/audio")
        assert mine.status == 200 and (await mine.body())[:4] == b"RIFF"
        response = await phone.goto(fleet.url + "devices/badge-out")
        assert response is not None and response.status == 403
        await expect(phone.locator("nav")).not_to_contain_text("Audit log")
    finally:
        procs.stop(badge, signal.SIGKILL)
    pages = ("overview", "devices", "device", "alerts", "hierarchy", "users", "account", "audit",
             "devices-phone")  # fmt: skip
    assert all((shots / f"{n}.png").stat().st_size > 10_000 for n in pages)
