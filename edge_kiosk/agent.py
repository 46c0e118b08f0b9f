"""The kiosk agent's main loop: read frames, keep time, report health."""

import threading
import time

from crmsensor.protocol import Channel
from crmsensor.protocol.device import encode_telemetry
from edge_kiosk import __version__
from edge_kiosk.config import KioskConfig
from edge_kiosk.sources import FrameSource, SyntheticSource
from edge_kiosk.uplink import KioskUplink


def make_source(cfg: KioskConfig) -> FrameSource:
    """The frame source the config names."""
    return SyntheticSource()


def run_agent(cfg: KioskConfig, stop: threading.Event, source: FrameSource | None = None) -> None:
    """Run until ``stop`` is set: pace frames at the camera rate and publish telemetry."""
    uplink = KioskUplink(cfg)
    uplink.start()
    frames = (source or make_source(cfg)).frames()
    period = 1.0 / cfg.camera_fps
    t0 = time.monotonic()
    seq, window_frames, window_start = 0, 0, t0
    # The first report waits for a 1 s window, so fps is measured, not guessed.
    next_tele = t0 + min(1.0, cfg.tele_interval_s)
    try:
        while not stop.is_set():
            next(frames)
            uplink.reconnect_if_renewed()
            window_frames += 1
            now = time.monotonic()
            if now >= next_tele:
                fps = window_frames / max(now - window_start, 1e-6)
                fields = {
                    "seq": seq,
                    "uptime_s": int(now - t0),
                    "ts": int(time.time()),
                    "fw": __version__,
                    "fps": round(fps, 2),
                    "camera_ok": True,
                }
                if uplink.publish(Channel.TELE, encode_telemetry(fields)):
                    seq += 1
                window_frames, window_start = 0, now
                next_tele = now + cfg.tele_interval_s
            stop.wait(max(0.0, period - (time.monotonic() - now)))
    finally:
        uplink.stop()
