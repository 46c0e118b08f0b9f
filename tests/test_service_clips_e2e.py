"""Issue 20 end to end with real parts: the kiosk agent replays a labelled counter sequence and
the real badge firmware (MicroPython unix port) is worn at the same station while its wearer
speaks, both in real time through a real Mosquitto to the fleet. The services the kiosk
detected become clips, and each clip's audio is the wearer's speech of that service: it
matches the simulated world's sound where the fleet placed the session, and does not match it
elsewhere."""

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from beamforming import wavio
from devtools import procs
from devtools.broker import MosquittoProcess
from devtools.fwtools import flashimage
from devtools.fwtools.runner import micropython_env
from devtools.sim import devices, scenario
from edge_kiosk import counter_scenes as cs
from edge_kiosk.agent import KioskAgent
from edge_kiosk.config import parse_config
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording
from fleet.reviews.models import Service, ServiceClip
from fleet.settings import ReviewSettings
from fleet.state import OBJECTS
from tests.conftest import _fleet_settings, eventually, running_fleet

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / ".cache" / "opencv"
KIOSK, BADGE, STATION = "kiosk-0401", "badge-0401", "st-40"
SCENE_S = 33.0
# worn from 2 s to 36 s (the wearer speaks), then on the desk (long enough for the badge to
# tell it was taken off, which closes its last recording), then on charge
WORN = [("desk_up", 2.0), ("still", 34.0), ("desk_up", 14.0)]
CHARGE_AT_S = 48.0
FRAME_S = 0.02  # the envelopes' resolution


def envelope(x: np.ndarray, rate: int) -> np.ndarray:
    n = int(rate * FRAME_S)
    frames = x[: len(x) // n * n].reshape(-1, n)
    return np.sqrt(np.mean(frames.astype(float) ** 2, axis=1))


def best_lag(clip: np.ndarray, world: np.ndarray, around: int, span: int) -> tuple[int, float]:
    """Where in ``world`` (frames, near ``around``) ``clip``'s envelope fits best, and how
    well (Pearson's r)."""
    best = (around, -1.0)
    for lag in range(max(0, around - span), around + span + 1):
        w = world[lag : lag + len(clip)]
        if len(w) < len(clip):
            break
        r = float(np.corrcoef(clip, w)[0, 1])
        if r > best[1]:
            best = (lag, r)
    return best


@pytest.fixture
def counter(tmp_path: Path) -> tuple[Path, list[tuple[float, float]]]:
    scene = cs.CounterScene(seconds=SCENE_S, fps=5, seed=29, stay_s=(6.0, 10.0))
    video, _ = cs.write(scene, PHOTOS, tmp_path / "counter", "counter")
    truth = [(a / 5, b / 5) for a, b in cs.labels(scene)]
    assert len(truth) == 2
    return video, truth


async def test_the_kiosks_services_are_clips_of_the_wearers_speech(
    broker: MosquittoProcess, tmp_path: Path, counter: tuple[Path, list[tuple[float, float]]]
) -> None:
    video, truth = counter
    settings = _fleet_settings(broker, tmp_path, clips_s=0.5,
                               reviews=ReviewSettings(retry_s=1.0))  # fmt: skip
    async with running_fleet(settings) as fleet:
        await register(DeviceSpec(KIOSK, "kiosk", STATION))
        await register(DeviceSpec(BADGE, "badge", STATION, tags=["staff:olga"]))
        world = scenario.build(tmp_path / "world", WORN, CHARGE_AT_S, seed=11)
        cfg = devices.badge_config(BADGE, STATION, "127.0.0.1", broker.config.port,
                                   tele_interval_s=2, keepalive_s=10)  # fmt: skip
        flash = flashimage.write({"config.json": json.dumps(cfg).encode()}, tmp_path / "f.img")
        argv = devices.badge_command(scenario=world.path, flash=flash)
        badge_started = time.time()
        badge = procs.spawn(argv, tmp_path / "badge.log", micropython_env())
        agent = KioskAgent(parse_config({
            "device_id": KIOSK, "station": STATION,
            "broker": {"host": "127.0.0.1", "port": broker.config.port},
            "tele_interval_s": 2, "camera": f"file:{video}", "camera_fps": 5,
            "replay_speed": 1.0, "queue_dir": str(tmp_path / "queue"),
        }))  # fmt: skip
        stop = threading.Event()
        kiosk_started = time.time()
        thread = threading.Thread(target=agent.run, args=(stop,))
        thread.start()
        try:

            async def clipped() -> list[Service]:
                rows = await Service.filter(station_id=STATION, clip_state="ready")
                return rows if len(rows) >= len(truth) else []

            try:
                found = await eventually(clipped, timeout=150, every=1.0)
            except AssertionError:
                rows = await Service.filter(station_id=STATION).values_list(
                    "session", "clip_state", "clip_reason"
                )
                recs = await Recording.filter(device_id=BADGE).values_list("rec_id", "duration_ms")
                raise AssertionError(f"services {rows}, recordings {recs}") from None
            services = sorted(found, key=lambda s: s.start)
        finally:
            stop.set()
            thread.join(20)
            badge.terminate()
            badge.wait(10)
        store = fleet.app[OBJECTS]
        (mic, rate) = wavio.read(world.folder / "world.wav")
        world_env = envelope(mic[0], rate)
        assert len(services) == len(truth)
        for (a, b), service in zip(truth, services, strict=True):
            # the session where the kiosk saw it (its clock fitted to receipt times)
            assert abs(service.start.timestamp() - (kiosk_started + a)) < 1.5, (a, service.start)
            assert abs(service.end.timestamp() - (kiosk_started + b)) < 1.5, (b, service.end)
            (clip,) = await ServiceClip.filter(service_id=service.id)
            assert clip.staff == "olga" and clip.covered > 0.9
            wav = b"".join([p async for p in store.read(clip.object_key)])
            x = np.frombuffer(wav[44:], "<i2").astype(float) / 32768
            clip_env = envelope(x, clip.rate)
            # where the clip begins in the badge's world: the session's start less the clip's
            # lead-in, on the badge's clock (it counts from the firmware's start)
            expected = service.start.timestamp() - clip.start_at_s - badge_started
            around = round(expected / FRAME_S)
            lag, r = best_lag(clip_env, world_env, around, round(3.0 / FRAME_S))
            assert r > 0.8, (service.session, r)  # the wearer's speech, beamformed
            assert abs(lag - around) * FRAME_S < 1.0, (service.session, lag, around)
            # and not any other stretch of the world: 10 s away it does not match
            elsewhere = max(0, around - round(10 / FRAME_S))
            w = world_env[elsewhere : elsewhere + len(clip_env)]
            assert float(np.corrcoef(clip_env[: len(w)], w)[0, 1]) < 0.5
            spoken = [s for s in world.speech if s[0] < expected + clip.duration_s
                      and s[1] > expected]  # fmt: skip
            assert spoken, "the wearer spoke during the service"
