"""The kiosk's screen on its own (edge_kiosk/screen/), with a real HTTP server standing in for
the fleet's plan and file downloads and real headless Chromium on the page: each bad input gets
its defined behaviour and nothing answered is lost.

- the plan's store: a plan whose bytes differ from the command's SHA-256, or that fails its
  checks, is refused and the old plan plays on; a file that differs from its SHA-256 or does not
  fit the quota is left out (``partial``); files no scenario uses are evicted; a kiosk clock far
  off the fleet's is corrected from the plan response's ``Date``;
- the page: a survey nobody answers goes back to the ads and sends nothing; a video Chromium
  cannot decode is skipped (its play reported as ``error``) and the next ad shows; a scenario
  with no slot now leaves the screen idle; a tap storm is one rating per session, and a bad
  rating is refused naming the field.
"""

import hashlib
import io
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.async_api import Browser, expect

from edge_kiosk.screen.server import ScreenHub, ScreenServer
from edge_kiosk.screen.store import ScreenStore, UrlFetcher
from tests.test_office_browser import browser  # noqa: F401  (the fixture)
from tests.test_screen_plan import write_video


def png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), color).save(out, "PNG")
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Fleet:
    """Serves plans and files as the fleet's screen routes do, with a clock of its own."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}  # path -> body
        self.clock_off_s = 0.0
        fleet = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                return formatdate(time.time() + fleet.clock_off_s, usegmt=True)

            def do_GET(self) -> None:
                body = fleet.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v1/screens/t"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, plan: dict[str, Any], files: dict[str, bytes]) -> str:
        body = json.dumps(plan).encode()
        self.files["/api/v1/screens/t/plan"] = body
        for digest, data in files.items():
            self.files[f"/api/v1/screens/t/content/{digest}"] = data
        return sha(body)


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    f = Fleet()
    yield f
    f.httpd.shutdown()


def plan(files: dict[str, tuple[str, bytes]], playlist: list[str], **scenario: Any) -> dict:
    s = {"id": "promo", "version": 1, "name": "Promo", "priority": 1, "published": 1.0,
         "schedule": {}, "langs": ["ru", "en"], "texts": {},
         "survey": {"trigger": "start", "nps": True, "timeout_s": 5},
         "playlist": [{"content": d, "seconds": 2} for d in playlist], **scenario}  # fmt: skip
    content = {d: {"type": kind, "size": len(data)} for d, (kind, data) in files.items()}
    return {"kiosk": "kiosk-0001", "issued": int(time.time()), "tz": "UTC", "scenarios": [s],
            "content": content}  # fmt: skip


def test_the_store_refuses_bad_plans_and_keeps_what_it_had(fleet: Fleet, tmp_path: Path) -> None:
    red, blue = png((200, 0, 0)), png((0, 0, 200))
    files = {sha(red): ("image/png", red), sha(blue): ("image/png", blue)}
    store = ScreenStore(tmp_path, len(red) + len(blue) + 10, UrlFetcher())
    good = fleet.publish(plan(files, [sha(red), sha(blue)]), {sha(red): red, sha(blue): blue})
    assert store.sync(good, fleet.url + "/plan").state == "applied"
    assert store.available() == {sha(red), sha(blue)}

    # bytes that differ from the command's SHA-256: refused, the plan on disk plays on
    r = store.sync("0" * 64, fleet.url + "/plan")
    assert r.state == "refused" and "SHA-256" in r.reason and store.sha == good
    # a plan that fails its checks (a day 8): refused naming the field
    bad = plan(files, [sha(red)], schedule={"days": [8]})
    r = store.sync(fleet.publish(bad, {}), fleet.url + "/plan")
    assert r.state == "refused" and "days" in r.reason and store.sha == good

    # a new plan: red no longer used (evicted), a green file served corrupt, a big one over quota
    green, big = png((0, 200, 0)), png((9, 9, 9)) + b"\0" * 5000
    files = {sha(blue): ("image/png", blue), sha(green): ("image/png", green),
             sha(big): ("image/png", big)}  # fmt: skip
    served = {sha(blue): blue, sha(green): green[:-1] + b"x", sha(big): big}
    r = store.sync(fleet.publish(plan(files, [sha(blue), sha(green), sha(big)]), served),
                   fleet.url + "/plan")  # fmt: skip
    assert r.state == "partial" and r.missing == 2, r
    assert store.available() == {sha(blue)}
    assert ScreenStore(tmp_path, 10**6, UrlFetcher()).sha == store.sha  # kept across restarts


def test_a_kiosk_clock_far_off_uses_the_fleets(fleet: Fleet, tmp_path: Path) -> None:
    red = png((200, 0, 0))
    fleet.clock_off_s = 3 * 3600  # the kiosk's clock is three hours behind
    store = ScreenStore(tmp_path, 10**7, UrlFetcher())
    d = fleet.publish(plan({sha(red): ("image/png", red)}, [sha(red)]), {sha(red): red})
    store.sync(d, fleet.url + "/plan")
    assert abs(store.offset_s - 3 * 3600) < 5
    assert abs(store.now() - (time.time() + 3 * 3600)) < 5


@pytest.fixture
def screen(tmp_path: Path) -> Iterator[tuple[ScreenServer, list[dict], list[dict]]]:
    ratings: list[dict] = []
    plays: list[dict] = []
    store = ScreenStore(tmp_path / "screen", 10**8, UrlFetcher())
    server = ScreenServer(store, ScreenHub(), ratings.append, plays.append)
    server.start()
    yield server, ratings, plays
    server.stop()


async def test_bad_content_and_unanswered_surveys_on_the_page(
    fleet: Fleet, screen: tuple[ScreenServer, list[dict], list[dict]], tmp_path: Path,
    browser: Browser,  # noqa: F811
) -> None:  # fmt: skip
    server, ratings, plays = screen
    broken = write_video(tmp_path / "broken.mp4", "mp4v")  # a codec Chromium cannot decode
    bad, red = broken.read_bytes(), png((200, 0, 0))
    files = {sha(bad): ("video/mp4", bad), sha(red): ("image/png", red)}
    d = fleet.publish(plan(files, [sha(bad), sha(red)]), {sha(bad): bad, sha(red): red})
    assert server.store.sync(d, fleet.url + "/plan").state == "applied"
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    await page.goto(server.url)
    # the video fails: reported, skipped; the image shows
    await expect(page.locator("#ads img")).to_have_count(1, timeout=10_000)
    errors = [p for p in plays if p["ended"] == "error"]
    assert errors and errors[0]["content"] == sha(bad) and errors[0]["reason"].startswith("video")

    # nobody answers: after timeout_s the ads again, nothing sent
    server.hub.publish({"type": "session_start", "session": "s-1-1", "at": time.time()})
    await expect(page.locator("body")).to_have_attribute("data-mode", "survey")
    await expect(page.locator("body")).to_have_attribute("data-mode", "ads", timeout=8_000)
    assert ratings == []

    # a schedule with no slot now: the screen is idle
    later = plan(files, [sha(red)], schedule={"first_day": "2099-01-01"})
    server.store.sync(fleet.publish(later, {}), fleet.url + "/plan")
    server.hub.publish({"type": "plan", "plan": server.store.sha})
    await expect(page.locator("body")).to_have_attribute("data-mode", "idle")
    await page.close()


def test_a_tap_storm_is_one_rating_per_session(
    screen: tuple[ScreenServer, list[dict], list[dict]],
) -> None:
    server, ratings, _ = screen

    def post(body: dict) -> tuple[int, dict]:
        req = urllib.request.Request(server.url + "api/rating", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    answer = {"session": "s-1-7", "scenario": "promo", "version": 1, "t_s": 3.0, "nps": 10}
    codes = [post(answer)[0] for _ in range(10)]
    assert codes == [202] + [409] * 9 and len(ratings) == 1
    status, err = post({**answer, "session": "s-1-8", "nps": 11})
    assert status == 400 and "nps" in err["error"] and len(ratings) == 1
    assert post({**answer, "session": ""})[0] == 202  # without a session: one per 10 s
    assert post({**answer, "session": ""})[0] == 409


def test_plays_are_tallied_per_hour_and_kept_across_restarts(tmp_path: Path) -> None:
    from edge_kiosk.screen.plays import PlayTally

    ad = {"content": "ab" * 32, "scenario": "promo", "version": 2, "seconds": 10.0}
    tally = PlayTally(tmp_path / "plays.json")
    t0 = 1_795_968_000.0  # the start of an hour
    tally.add({**ad, "present": True}, t0 + 10)
    tally.add({**ad, "present": False}, t0 + 20)
    tally.add({**ad, "present": False, "ended": "error", "reason": "video: decode"}, t0 + 30)
    tally.add({**ad, "present": True}, t0 + 3600 + 5)  # the next hour
    again = PlayTally(tmp_path / "plays.json")  # the agent restarted: nothing lost
    assert again.due(t0 + 3599) == []
    ((key, first),) = again.due(t0 + 3600)
    assert (first["hour"], first["plays"], first["present"], first["seconds"], first["errors"],
            first["reason"]) == (int(t0), 3, 1, 30.0, 1, "video: decode")  # fmt: skip
    again.done(key)
    assert [t["plays"] for _, t in PlayTally(tmp_path / "plays.json").due(t0 + 7200)] == [1]
