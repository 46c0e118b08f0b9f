"""The kiosk agent: frames in, session events, presence and health out.

One loop, on the agent's thread:

1. the next frame from the camera (:mod:`edge_kiosk.sources`); a camera that fails is counted
   (``camera_errors``), reported (``camera_ok: false``) and opened again after a back-off; a
   frame of another size than the camera's is skipped and counted (``frames_skipped``);
2. each region of interest through its :class:`~edge_kiosk.detector.SessionDetector`;
3. a session boundary goes to the screen at once (edge_kiosk/screen/: the survey starts),
   becomes a ``session_start`` / ``session_end`` event stored on disk
   (:class:`~edge_kiosk.outbox.Outbox`), and a line in ``presence_file`` for other programs;
   the fleet turns the events into recording commands for the station's badges;
4. the outbox moves on (events go out in order, each deleted once the fleet's event ack
   says it is stored); telemetry every ``tele_interval_s``: fps, processing time per frame, CPU,
   temperature, camera health, sessions and service time over the last hour, queue length.

Times: a camera's frames are timed by the monotonic clock; a replayed video by its own frame
rate (so a video replayed fast gives the same sessions as in real time).
"""

import json
import logging
import os
import queue
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsensor.errors import ProtocolError
from crmsensor.protocol import Channel
from crmsensor.protocol.device import encode_event, encode_telemetry
from crmsensor.protocol.messages import check_play, check_rating, check_scenario_args
from edge_kiosk import __version__, updater
from edge_kiosk.config import KioskConfig
from edge_kiosk.detector import SessionDetector, SessionEvent
from edge_kiosk.outbox import Outbox
from edge_kiosk.screen.plays import PlayTally, check_page_play
from edge_kiosk.screen.server import ScreenHub, ScreenServer
from edge_kiosk.screen.store import ScreenStore, UrlFetcher
from edge_kiosk.sources import (
    CameraError,
    CameraSource,
    Frame,
    FrameSource,
    ImageFolderSource,
    SyntheticSource,
    VideoFileSource,
)
from edge_kiosk.updater import KioskUpdater
from edge_kiosk.uplink import KioskUplink

log = logging.getLogger("edge_kiosk.agent")

HOUR_S = 3600.0
REOPEN_MAX_S = 30.0
SCREEN_RETRY_S = 600.0  # a plan with files missing is fetched again this often


def make_source(cfg: KioskConfig) -> FrameSource:
    """The frame source the config names."""
    width, height = cfg.camera_size
    if cfg.camera == "synthetic":
        return SyntheticSource(height, width)
    if cfg.camera.startswith("file:"):
        return VideoFileSource(Path(cfg.camera[5:]), cfg.camera_fps, cfg.replay_speed)
    if cfg.camera.startswith("folder:"):
        return ImageFolderSource(Path(cfg.camera[7:]))
    return CameraSource(cfg.camera, width, height, cfg.camera_fps)


def read_temperature_c() -> float | None:
    """The SoC's temperature where Linux exposes one."""
    try:
        return int(Path("/sys/class/thermal/thermal_zone0/temp").read_text()) / 1000.0
    except (OSError, ValueError):
        return None


@dataclass
class _Open:
    session: str
    roi: str
    start: float


@dataclass
class SessionLog:
    """Sessions of the last hour: counts and service time for telemetry."""

    started: deque[float] = field(default_factory=deque)
    ended: deque[tuple[float, float]] = field(default_factory=deque)  # (end time, duration)
    today: int = 0  # sessions since local midnight
    day: str = ""  # the local date they count for

    def start(self, t: float, day: str) -> None:
        """A session started at ``t`` on the local date ``day`` (YYYY-MM-DD)."""
        self.started.append(t)
        self.roll(day)
        self.today += 1

    def roll(self, day: str) -> None:
        """Start counting afresh on a new local date."""
        if day != self.day:
            self.day, self.today = day, 0

    def end(self, t: float, duration: float) -> None:
        self.ended.append((t, duration))

    def hour(self, now: float) -> tuple[int, float | None]:
        while self.started and self.started[0] < now - HOUR_S:
            self.started.popleft()
        while self.ended and self.ended[0][0] < now - HOUR_S:
            self.ended.popleft()
        durations = [d for _, d in self.ended]
        return len(self.started), (statistics.fmean(durations) if durations else None)


class KioskAgent:
    """The agent; :meth:`run` until ``stop`` is set."""

    def __init__(
        self,
        cfg: KioskConfig,
        source: FrameSource | None = None,
        uplink: KioskUplink | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.cfg = cfg
        self.source = source or make_source(cfg)
        self.uplink = uplink or KioskUplink(cfg)
        self.outbox = Outbox(cfg.queue_dir, cfg.queue_max)
        self.wall = wall
        self.detectors = {
            r.name: SessionDetector.watching(r, cfg.camera_size, cfg.detector) for r in cfg.rois
        }
        self.open: dict[str, _Open] = {}
        self.sessions = SessionLog()
        self.camera_ok = False
        self.camera_errors = 0
        self.frames_skipped = 0
        self._n_sessions = 0
        self._proc_ms: list[float] = []
        self._window_frames = 0
        self._tele_seq = 0
        self.exit_code = 0  # 3: start again (a new version); else: what went wrong
        self._stop: threading.Event | None = None
        self._updates: queue.SimpleQueue[tuple[str, dict[str, Any]]] = queue.SimpleQueue()
        self.updater: KioskUpdater | None = None
        if cfg.update_root is not None:
            self.updater = KioskUpdater(
                cfg.update_root, cfg.trusted_keys, cfg.hw, self._update_event, self._restart
            )
            self.uplink.on_ota = self.updater.start
        # the customers' screen: its plan and files, and the page's server on loopback
        self.hub = ScreenHub()
        self.screen: ScreenServer | None = None
        self.screen_store: ScreenStore | None = None
        self.plays: PlayTally | None = None
        if cfg.screen_port is not None:
            self.screen_store = ScreenStore(
                cfg.screen_dir, cfg.screen_quota_mb * 2**20, UrlFetcher(cfg.tls_ca)
            )
            self.plays = PlayTally(cfg.screen_dir / "plays.json")
            self.screen = ScreenServer(
                self.screen_store, self.hub, self.submit_rating, self.submit_play, cfg.screen_port
            )
            self.uplink.on_scenario = self._on_scenario
        self._syncing = threading.Lock()

    # --- sessions --------------------------------------------------------------------------

    def _local_day(self) -> str:
        return time.strftime("%Y-%m-%d", time.localtime(self.wall()))

    def _session_id(self) -> str:
        self._n_sessions += 1
        return f"s-{self.uplink.boot:08x}-{self._n_sessions}"

    # --- updates (edge_kiosk/updater.py) ---------------------------------------------------

    def _update_event(self, type_: str, data: dict[str, Any]) -> None:
        self._updates.put((type_, data))  # from the updater's thread; sent by the agent's

    # --- ratings (the kiosk's screen) --------------------------------------------------------

    def submit_rating(self, data: dict[str, Any]) -> None:
        """A customer's answers, from any thread (the screen's server): checked against the
        contract (ProtocolError naming the field), then queued on disk by the agent's thread
        like every event, and sent once, in order."""
        self._updates.put(("rating", check_rating(dict(data), "rating")))

    def submit_play(self, data: dict[str, Any]) -> None:
        """An ad was on screen (from the screen's server): checked and added to its hour's
        tally on disk; the agent's thread sends each hour's tallies once the hour is over."""
        if self.plays is None:
            raise ProtocolError("schema", "this kiosk has no screen")
        self.plays.add(check_page_play(dict(data)), self.wall())

    def _send_plays(self) -> None:
        if self.plays is None:
            return
        for key, tally in self.plays.due(self.wall()):
            self._queue_update_event("play", check_play(tally, "play"))
            self.plays.done(key)

    # --- the screen's plan (edge_kiosk/screen/store.py) ----------------------------------------

    def _on_scenario(self, args: dict[str, Any]) -> tuple[bool, str | None]:
        """The ``scenario`` command (from the MQTT thread): fetch the plan in a thread of its
        own; answered at once, the outcome follows as a ``screen`` event."""
        try:
            a = check_scenario_args(args, "scenario")
        except ProtocolError as exc:
            return False, str(exc)
        threading.Thread(target=self._sync_screen, args=(a["plan"], a["url"]),
                         name="screen-sync", daemon=True).start()  # fmt: skip
        return True, None

    def _sync_screen(self, sha: str, url: str) -> None:
        assert self.screen_store is not None
        with self._syncing:  # one plan at a time; a newer command waits for the older
            result = self.screen_store.sync(sha, url)
        self._update_event("screen", result.event())
        if result.state != "refused":
            self.hub.publish({"type": "plan", "plan": sha})

    def _queue_update_event(self, type_: str, data: dict[str, Any]) -> None:
        ts = int(self.wall())
        self.outbox.put(lambda seq: encode_event(seq, type_, ts, data, self.uplink.boot))

    def _restart(self, code: int = updater.RESTART_EXIT) -> None:
        self.exit_code = code
        if self._stop is not None:
            self._stop.set()

    def _trial(self, started: float, now: float) -> bool:
        """On trial after an update: confirm once the broker and camera work, or give up
        after the deadline (launch.py rolls back). True while still on trial."""
        root = self.cfg.update_root
        assert root is not None
        if updater.healthy(self.uplink.connected.is_set(), self.camera_ok):
            updater.confirm(root, self._update_event)
            log.info("on trial: healthy, this version is kept")
            return False
        if now - started > updater.HEALTH_DEADLINE_S:
            reason = f"broker or camera not working in {updater.HEALTH_DEADLINE_S:.0f} s"
            updater.fail(root, reason)
            log.warning("on trial: %s; the previous version starts next", reason)
            self._restart(1)
            return False
        return True

    def _event(self, type_: str, data: dict[str, Any]) -> None:
        ts = int(self.wall())
        self.outbox.put(lambda seq: encode_event(seq, type_, ts, data, self.uplink.boot))
        if self.cfg.presence_file is not None:
            line = json.dumps({"type": type_, "ts": ts, **data}) + "\n"
            try:
                with open(self.cfg.presence_file, "a") as f:
                    f.write(line)
            except OSError as exc:
                log.warning("presence file %s: %s", self.cfg.presence_file, exc)

    def on_boundary(self, roi: str, ev: SessionEvent) -> None:
        """A detector decided a boundary: tell the screen at once, then record it and tell the
        fleet (and the presence file)."""
        if ev.kind == "start":
            s = _Open(self._session_id(), roi, ev.t)
            self.hub.publish({"type": "session_start", "session": s.session, "roi": roi,
                              "at": time.time()})  # fmt: skip
            self.open[roi] = s
            self.sessions.start(ev.t, self._local_day())
            # lag_s: how long ago it began (the confirmation time); the fleet asks the badges
            # to keep that much audio before their split as the session's pre-roll
            lag = round(max(0.0, ev.at - ev.t), 2)
            self._event(
                "session_start", {"session": s.session, "roi": roi, "t_s": ev.t, "lag_s": lag}
            )
            return
        s = self.open.pop(roi)
        self.hub.publish({"type": "session_end", "session": s.session, "roi": roi,
                          "at": time.time()})  # fmt: skip
        duration = max(0.0, ev.t - s.start)
        self.sessions.end(ev.t, duration)
        # lag_s here too: with it the fleet places the kiosk's clock from both kinds of event
        lag = round(max(0.0, ev.at - ev.t), 2)
        self._event(
            "session_end",
            {"session": s.session, "roi": roi, "t_s": ev.t, "lag_s": lag,
             "duration_s": round(duration, 2)},
        )  # fmt: skip

    def process(self, frame: Frame, t: float) -> None:
        """One frame at time ``t`` through every ROI."""
        width, height = self.cfg.camera_size
        if frame.shape != (height, width):
            self.frames_skipped += 1
            if self.frames_skipped in (1, 10, 100) or self.frames_skipped % 1000 == 0:
                log.warning(
                    "frame of %s skipped (camera_size is %dx%d); %d so far",
                    frame.shape, width, height, self.frames_skipped,
                )  # fmt: skip
            return
        for name, det in self.detectors.items():
            for ev in det.feed_frame(frame, t):
                self.on_boundary(name, ev)

    def close_sessions(self, t: float) -> None:
        """The frames ended: close what is open at ``t``."""
        for name, det in self.detectors.items():
            for ev in det.finish(t):
                self.on_boundary(name, ev)

    # --- health ------------------------------------------------------------------------------

    def telemetry(self, now: float, uptime_s: float, fps: float, cpu_pct: float) -> bytes:
        per_hour, service = self.sessions.hour(now)
        self.sessions.roll(self._local_day())  # midnight passed without a session
        fields: dict[str, Any] = {
            "seq": self._tele_seq,
            "boot": self.uplink.boot,
            "uptime_s": int(uptime_s),
            "ts": int(self.wall()),
            "fw": __version__,
            "fps": round(fps, 2),
            "camera_ok": self.camera_ok,
            "camera_errors": self.camera_errors,
            "frames_skipped": self.frames_skipped,
            "sessions_today": self.sessions.today,
            "sessions_hour": per_hour,
            "service_s_avg": round(service, 1) if service is not None else None,
            "queue": len(self.outbox),
            "cpu_pct": round(cpu_pct, 1),
        }
        if self._proc_ms:
            fields["proc_ms"] = round(statistics.median(self._proc_ms), 3)
        temp = read_temperature_c()
        if temp is not None:
            fields["temp_c"] = round(temp, 1)
        return encode_telemetry(fields)

    # --- the loop ------------------------------------------------------------------------------

    def _frames(self, stop: threading.Event) -> Iterator[tuple[Frame | None, float | None]]:
        """(frame, media time) pairs; (None, None) while the camera is away; ends with the
        source (a file or folder); a camera is opened again after a back-off."""
        backoff = 1.0
        media = isinstance(self.source, VideoFileSource | ImageFolderSource)
        fps = self.source.fps if isinstance(self.source, VideoFileSource) else self.cfg.camera_fps
        while not stop.is_set():
            try:
                for i, frame in enumerate(self.source.frames()):
                    self.camera_ok, backoff = True, 1.0
                    yield frame, (i / fps if media else None)
                    if stop.is_set():
                        return
                self.camera_ok = False
                return
            except (CameraError, OSError, ValueError) as exc:
                self.camera_ok = False
                self.camera_errors += 1
                log.warning("camera: %s; opening it again in %.0f s", exc, backoff)
                deadline = time.monotonic() + backoff
                while time.monotonic() < deadline and not stop.is_set():
                    yield None, None
                    stop.wait(0.1)
                backoff = min(backoff * 2, REOPEN_MAX_S)

    def run(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set (a replayed file's end closes its sessions; the agent
        keeps reporting until stopped)."""
        self._stop = stop
        if self.screen is not None:
            self.screen.start()
        self.uplink.start()
        t0 = time.monotonic()
        next_screen_retry = t0 + 5.0
        trial = self.cfg.update_root is not None and os.environ.get("CRMS_KIOSK_TRIAL") == "1"
        if self.cfg.update_root is not None:
            updater.report_last(self.cfg.update_root, self._update_event)
        cpu0, window_start = time.process_time(), t0
        next_tele = t0 + min(1.0, self.cfg.tele_interval_s)
        frames = self._frames(stop)
        ended = False
        last_t = 0.0
        try:
            while not stop.is_set():
                item = next(frames, None) if not ended else None
                now = time.monotonic()
                if item is None and not ended:
                    ended = True
                    self.close_sessions(last_t)
                elif item is not None and item[0] is not None:
                    frame, media_t = item[0], item[1]
                    last_t = media_t if media_t is not None else now - t0
                    started = time.perf_counter()
                    self.process(frame, last_t)
                    self._proc_ms.append((time.perf_counter() - started) * 1000)
                    self._window_frames += 1
                self.uplink.reconnect_if_renewed()
                while not self._updates.empty():
                    self._queue_update_event(*self._updates.get())
                self._send_plays()
                if trial:
                    trial = self._trial(t0, now)
                store = self.screen_store
                if store is not None and now >= next_screen_retry:
                    next_screen_retry = now + SCREEN_RETRY_S
                    if store.incomplete() and not self._syncing.locked():
                        threading.Thread(target=self._sync_screen, args=(store.sha, store.url),
                                         name="screen-sync", daemon=True).start()  # fmt: skip
                while not self.uplink.event_acks.empty():
                    self.outbox.acked(self.uplink.event_acks.get_nowait())
                self.outbox.pump(
                    lambda p: self.uplink.publish_reliably(Channel.EVT, p),
                    self.uplink.connected.is_set(),
                )
                if now >= next_tele:
                    span = max(now - window_start, 1e-6)
                    cpu = 100 * (time.process_time() - cpu0) / span
                    tele = self.telemetry(last_t, now - t0, self._window_frames / span, cpu)
                    if self.uplink.publish(Channel.TELE, tele):
                        self._tele_seq += 1
                    self._window_frames, self._proc_ms = 0, []
                    cpu0, window_start = time.process_time(), now
                    next_tele = now + self.cfg.tele_interval_s
                if ended or item is None or item[0] is None:
                    stop.wait(0.05)
                elif isinstance(self.source, SyntheticSource):
                    stop.wait(max(0.0, 1 / self.cfg.camera_fps - (time.monotonic() - now)))
        finally:
            if self.screen is not None:
                self.screen.stop()
            self.uplink.stop()


def run_agent(cfg: KioskConfig, stop: threading.Event, source: FrameSource | None = None) -> int:
    """Run the kiosk agent until ``stop`` is set; its exit code (3: start the new version)."""
    os.makedirs(cfg.queue_dir, exist_ok=True)
    agent = KioskAgent(cfg, source)
    agent.run(stop)
    return agent.exit_code
