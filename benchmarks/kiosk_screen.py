"""Issue 21's kiosk goals, in headless Chromium on this machine:

1. **Survey latency**: the survey is on screen < 300 ms after the detector's session start.
   The real agent replays a labelled counter sequence (at twice real time, so more customers
   per minute; the detector times frames by the video, so its decisions are the same) with a
   survey scenario; for each session the page logs when the survey was painted (the frame
   after the one that laid it out) and the agent's time of the decision that started it (the
   same clock: one machine).
2. **Ad playback while the agent processes the camera**: a 1280x720 25 fps VP9 ad plays in
   rotation, its frames watched with ``requestVideoFrameCallback``; the worst gap between two
   presented frames, in frames (1 = none missed), and Chromium's dropped-frame count, side by
   side: the page alone (the peer: no camera work on the machine) and the same page while the
   agent detects sessions in a 640x480 camera at 10 fps. The agent's CPU share is printed
   (the agent runs in this process; Chromium and Playwright's driver are other processes).
3. **A scenario edit reaching the screen** (the goal: within a minute): a fleet (SQLite) and
   Mosquitto here, a kiosk agent with its screen in Chromium; the scenario is saved through the
   web office's API ten times, each time timed until the page plays the new version.

    .venv/bin/python benchmarks/kiosk_screen.py [--watch-s 30]
"""

import argparse
import asyncio
import hashlib
import json
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from playwright.async_api import Page, async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import p95, tmpdir
from crmsensor.protocol.screen import check_plan
from devtools.browser import CHROMIUM, FLAGS
from edge_kiosk import counter_scenes as cs
from edge_kiosk.agent import KioskAgent
from edge_kiosk.config import parse_config
from edge_kiosk.screen.server import ScreenHub, ScreenServer
from edge_kiosk.screen.store import ScreenStore, UrlFetcher

GOAL_MS = 300.0
FPS = 25
PHOTOS = Path(__file__).resolve().parents[1] / ".cache" / "opencv"


def ad_video(path: Path, seconds: float = 12.0) -> Path:
    """A VP9 MP4 at 1280x720, 25 fps: a bar sweeping over a gradient (every frame differs)."""
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"vp09"), FPS, (1280, 720))
    base = np.tile(np.linspace(30, 200, 1280, dtype=np.uint8), (720, 1))
    for i in range(int(seconds * FPS)):
        frame = cv2.cvtColor(base, cv2.COLOR_GRAY2BGR)
        x = (i * 16) % 1280
        frame[:, x : x + 40] = (20, 140, 240)
        w.write(frame)
    w.release()
    return path


def install_plan(root: Path, video: Path, trigger: str) -> None:
    """A plan on the kiosk's disk as a sync would leave it: one scenario, the video ad."""
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    plan = {"kiosk": "kiosk-bench", "issued": int(time.time()), "tz": "UTC",
            "content": {sha: {"type": "video/mp4", "size": video.stat().st_size}},
            "scenarios": [{"id": "bench", "version": 1, "name": "bench", "priority": 1,
                           "published": time.time(), "schedule": {}, "langs": ["ru", "en"],
                           "texts": {}, "survey": {"trigger": trigger, "nps": True,
                                                   "timeout_s": 5},
                           "playlist": [{"content": sha}]}]}  # fmt: skip
    check_plan(json.loads(json.dumps(plan)))
    body = json.dumps(plan).encode()
    (root / "files").mkdir(parents=True, exist_ok=True)
    shutil.copy(video, root / "files" / sha)
    (root / "plan.json").write_bytes(body)
    meta = {"sha": hashlib.sha256(body).hexdigest(), "url": "", "offset_s": 0.0}
    (root / "plan.meta.json").write_text(json.dumps(meta))


WATCH_JS = """
() => new Promise((done) => {
  window.frameGaps = [];
  let watched = null, last = null;
  const hook = () => {
    const v = document.querySelector('#ads video');
    if (v && v !== watched) {
      watched = v; last = null;
      const tick = (now, meta) => {
        if (last !== null)
          window.frameGaps.push([meta.presentedFrames - last.frames, now - last.now]);
        last = {frames: meta.presentedFrames, now};
        if (watched === v) v.requestVideoFrameCallback(tick);
      };
      v.requestVideoFrameCallback(tick);
    }
  };
  window.watchTimer = setInterval(hook, 50);
  done(true);
})
"""


async def watch(page: Page, seconds: float) -> dict[str, Any]:
    """Frames presented while an ad plays for ``seconds``: the worst gap in frame periods and
    Chromium's dropped frames."""
    await page.evaluate(WATCH_JS)
    q0 = await page.evaluate(
        "() => { const v = document.querySelector('#ads video');"
        " return v ? v.getVideoPlaybackQuality().droppedVideoFrames : 0; }"
    )
    await asyncio.sleep(seconds)
    gaps = await page.evaluate(
        "() => { clearInterval(window.watchTimer); return window.frameGaps; }"
    )
    q1 = await page.evaluate(
        "() => { const v = document.querySelector('#ads video');"
        " return v ? v.getVideoPlaybackQuality() : null; }"
    )
    period_ms = 1000 / FPS
    # a callback may cover several presented frames (presentedFrames jumps): each such jump
    # is frames the compositor showed without telling us, not a stall; the stall is the wall
    # time between callbacks, in frame periods
    worst = max((ms / period_ms for _, ms in gaps), default=0.0)
    over = sum(1 for _, ms in gaps if ms > 2.5 * period_ms)
    return {"callbacks": len(gaps), "worst_gap_frames": round(worst, 2), "gaps_over_2": over,
            "dropped": (q1 or {}).get("droppedVideoFrames", 0) - (q0 or 0)}  # fmt: skip


async def edits_to_screen(work: Path, page: Page, edits: int) -> list[float]:
    """Seconds from each save of a scenario (PUT, a new version) to the page playing it."""
    import aiohttp
    from PIL import Image

    from benchmarks.common import broker, fleet
    from fleet.devices.registry import DeviceSpec, register
    from fleet.office import accounts

    Image.new("RGB", (1280, 800), (230, 120, 20)).save(work / "ad.png")
    async with broker(work) as mqtt, fleet(work / "fleet", mqtt.config.port) as f:
        user = await accounts.add_user("bench-admin", None, [accounts.GrantSpec("admin")])
        auth = {"Authorization": f"Bearer {await accounts.create_token(user, 'bench')}"}
        await register(DeviceSpec("kiosk-bench", "kiosk", "st-bench"))
        async with aiohttp.ClientSession(headers=auth) as http:
            form = aiohttp.FormData()
            form.add_field("file", (work / "ad.png").read_bytes(), filename="ad.png")
            async with http.post(f.url + "api/v1/content", data=form) as r:
                sha = (await r.json())["sha256"]
            body = {"name": "bench", "target": {"all": True},
                    "survey": {"trigger": "start", "nps": True},
                    "playlist": [{"content": sha, "seconds": 5}]}  # fmt: skip
            async with http.post(f.url + "api/v1/scenarios", json={"id": "edits", **body}) as r:
                assert r.status == 201, await r.text()
            agent = KioskAgent(parse_config({
                "device_id": "kiosk-bench", "broker": {"host": "127.0.0.1",
                                                       "port": mqtt.config.port},
                "camera": "synthetic", "queue_dir": str(work / "queue-edits"),
                "screen": {"port": 0, "dir": str(work / "screen-edits"), "quota_mb": 64},
            }))  # fmt: skip
            stop = threading.Event()
            thread = threading.Thread(target=agent.run, args=(stop,))
            thread.start()
            took = []
            try:
                assert agent.screen is not None

                async def playing(version: int, deadline_s: float = 90.0) -> None:
                    until = time.monotonic() + deadline_s
                    while time.monotonic() < until:
                        log = await page.evaluate("window.screenLog || []")
                        if any(e.get("state") == f"edits/{version}" for e in log):
                            return
                        await asyncio.sleep(0.05)
                    raise TimeoutError(f"version {version} not on screen in {deadline_s} s")

                while agent.screen_store.plan is None:  # type: ignore[union-attr]
                    await asyncio.sleep(0.1)
                await page.goto(agent.screen.url)
                await playing(1)
                for v in range(2, edits + 2):
                    t0 = time.monotonic()
                    async with http.put(f.url + "api/v1/scenarios/edits",
                                        json={**body, "name": f"bench {v}"}) as r:  # fmt: skip
                        assert r.status == 200, await r.text()
                    await playing(v)
                    took.append(time.monotonic() - t0)
            finally:
                stop.set()
                thread.join(20)
    return took


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--watch-s", type=float, default=30.0)
    ap.add_argument("--edits", type=int, default=10)
    args = ap.parse_args()
    work = tmpdir()
    video = ad_video(work / "ad.mp4")
    ads_root, survey_root = work / "ads", work / "survey"
    install_plan(ads_root, video, "never")
    install_plan(survey_root, video, "start")
    scene = cs.CounterScene(seconds=240, fps=5, seed=7, stay_s=(5.0, 9.0))
    camera, _ = cs.write(scene, PHOTOS, work / "scene", "scene")
    results: dict[str, Any] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = await browser.new_page(viewport={"width": 1920, "height": 1080})

        # 2a. the peer: the page alone
        alone = ScreenServer(ScreenStore(ads_root, 2**30, UrlFetcher()), ScreenHub(),
                             lambda d: None, lambda d: None)  # fmt: skip
        alone.start()
        await page.goto(alone.url)
        await page.wait_for_selector("#ads video")
        await asyncio.sleep(2)
        results["alone"] = await watch(page, args.watch_s)
        alone.stop()

        # 2b. the same page while the agent processes the camera (ads only: no survey)
        def agent_for(root: Path, speed: float) -> KioskAgent:
            return KioskAgent(parse_config({
                "device_id": "kiosk-bench", "broker": {"host": "127.0.0.1", "port": 9},
                "camera": f"file:{camera}", "camera_fps": 5, "replay_speed": speed,
                "queue_dir": str(work / f"queue-{root.name}"),
                "screen": {"port": 0, "dir": str(root), "quota_mb": 1024},
            }))  # fmt: skip

        agent = agent_for(ads_root, 2.0)  # 10 frames a second through the detector
        stop = threading.Event()
        thread = threading.Thread(target=agent.run, args=(stop,))
        thread.start()
        assert agent.screen is not None
        await page.goto(agent.screen.url)
        await page.wait_for_selector("#ads video")
        await asyncio.sleep(2)
        cpu0, t0 = time.process_time(), time.monotonic()
        results["agent"] = await watch(page, args.watch_s)
        results["agent_cpu_pct"] = 100 * (time.process_time() - cpu0) / (time.monotonic() - t0)
        stop.set()
        thread.join(20)

        # 1. survey latency, from the detector's decisions
        agent = agent_for(survey_root, 2.0)
        stop = threading.Event()
        thread = threading.Thread(target=agent.run, args=(stop,))
        thread.start()
        assert agent.screen is not None
        await page.goto(agent.screen.url)
        await page.wait_for_selector("body[data-live='1']")
        await asyncio.sleep(scene.seconds / 2 + 2)
        log = await page.evaluate("window.screenLog")
        stop.set()
        thread.join(20)

        # 3. scenario edits reaching the screen
        edits = await edits_to_screen(work, page, args.edits)
        await browser.close()
    shown = [e for e in log if "survey" in e and e.get("at")]
    latencies = [e["shown"] - e["at"] * 1000 for e in shown]
    print(f"survey on screen after the detector's session start ({len(latencies)} sessions, "
          f"{len(scene.visits)} customers in the sequence; a customer arriving while a survey "
          "shows is not measured):")  # fmt: skip
    if latencies:
        print(f"  median {statistics.median(latencies):.0f} ms, p95 {p95(latencies):.0f} ms, "
              f"max {max(latencies):.0f} ms (goal < {GOAL_MS:.0f} ms: "
              f"{'met' if max(latencies) < GOAL_MS else 'NOT met'})")  # fmt: skip
    print("ad playback, 1280x720 VP9 at 25 fps, frames watched for "
          f"{args.watch_s:.0f} s (worst gap between presented frames, in frame periods; 1 = "
          "none missed):")  # fmt: skip
    for name, label in (("alone", "the page alone (peer)"),
                        ("agent", "while the agent processes the camera")):  # fmt: skip
        r = results[name]
        print(
            f"  {label}: worst gap {r['worst_gap_frames']} frames, gaps over 2.5 frames "
            f"{r['gaps_over_2']}, dropped {r['dropped']} ({r['callbacks']} frame callbacks)"
        )
    print(
        f"  the agent's CPU share meanwhile: {results['agent_cpu_pct']:.1f}% of one core "
        "(10 frames/s of 640x480 through the session detector)"
    )
    print(f"scenario saved in the web office's API -> playing on the kiosk's screen ({len(edits)} "
          f"edits): median {statistics.median(edits):.2f} s, max {max(edits):.2f} s (goal < 60 s: "
          f"{'met' if max(edits) < 60 else 'NOT met'})")  # fmt: skip
    # a gap of 2 periods is one frame missed, of 3 two; the callbacks' own jitter (the page
    # alone shows gaps of 1.7 periods with nothing dropped) blurs the line, so a gap counts as
    # two or more frames missed past the midpoint, 2.5 periods
    ok = results["agent"]["gaps_over_2"] == 0
    print(
        f"  goal (no stall longer than one frame while the agent works): "
        f"{'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    asyncio.run(main())
