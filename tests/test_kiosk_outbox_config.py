"""The kiosk's event outbox on disk (no broker needed: deliveries are plain objects, the
fleet's acks plain calls), its
config file's new sections, and the agent's handling of a failing camera and odd frames."""

import threading
from pathlib import Path

import numpy as np
import pytest

from crmsensor.errors import ConfigError
from edge_kiosk import agent as agent_module
from edge_kiosk import outbox as outbox_module
from edge_kiosk.agent import KioskAgent, SessionLog
from edge_kiosk.config import parse_config
from edge_kiosk.outbox import Outbox
from edge_kiosk.sources import CameraError


class Delivery:
    def __init__(self) -> None:
        self.done = False

    def is_published(self) -> bool:
        return self.done


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_events_go_out_in_order_and_leave_when_the_fleet_acknowledges(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "q")
    for i in range(3):
        box.put(lambda seq, i=i: f"{seq}:{i}".encode())
    sent: list[tuple[bytes, Delivery]] = []

    def publish(payload: bytes) -> Delivery:
        sent.append((payload, Delivery()))
        return sent[-1][1]

    assert box.pump(publish, connected=True) == 0 and [p for p, _ in sent] == [b"0:0"]
    assert box.pump(publish, connected=True) == 0 and len(sent) == 1  # waits for the PUBACK
    sent[0][1].done = True
    assert box.pump(publish, connected=True) == 1 and sent[-1][0] == b"1:1"
    # the link drops before the PUBACK: the event is sent again when it returns
    assert box.pump(publish, connected=False) == 0
    assert box.pump(publish, connected=True) == 0 and sent[-1][0] == b"1:1" and len(sent) == 3
    # the broker has 0 and 1: still on disk until the fleet says it holds them
    sent[-1][1].done = True
    box.pump(publish, connected=True)
    assert len(box) == 3 and sent[-1][0] == b"2:2"
    assert box.acked([(0, 1)]) == 2 and len(box) == 1 and box.sent == 2
    assert sorted(p.name for p in (tmp_path / "q").glob("*.json")) == ["000000000002.json"]
    # the fleet's ack can beat the broker's PUBACK to the kiosk: 2 is done all the same
    assert box.acked([(2, 2)]) == 1 and len(box) == 0
    sent[-1][1].done = True
    assert box.pump(publish, connected=True) == 0 and len(box) == 0


def test_what_the_fleet_does_not_acknowledge_is_sent_again(tmp_path: Path) -> None:
    clock = Clock()
    box = Outbox(tmp_path / "q", clock=clock)
    for _ in range(3):
        box.put(lambda seq: str(seq).encode())
    sent: list[bytes] = []

    def publish(payload: bytes) -> Delivery:
        sent.append(payload)
        d = Delivery()
        d.done = True  # the broker takes everything at once
        return d

    for _ in range(4):
        box.pump(publish, connected=True)
    assert sent == [b"0", b"1", b"2"]
    # a gap: the fleet holds 1 and 2 but not 0; 0 goes again once its grace is over
    box.acked([(1, 2)])
    box.pump(publish, connected=True)
    assert sent == [b"0", b"1", b"2"]
    clock.t += outbox_module.GAP_GRACE_S
    box.pump(publish, connected=True)
    assert sent[3:] == [b"0"] and box.resent == 1
    # the fleet away: 0 again after a longer wait, and nothing before it
    clock.t += outbox_module.RESEND_S * 2 - 0.5
    box.pump(publish, connected=True)
    assert len(sent) == 4
    clock.t += 0.5
    box.pump(publish, connected=True)
    assert sent[4:] == [b"0"]
    box.acked([(0, 0)])
    assert len(box) == 0
    clock.t += outbox_module.RESEND_MAX_S
    box.pump(publish, connected=True)
    assert len(sent) == 5  # nothing left to send


def test_at_most_a_window_waits_for_the_fleet(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "q")
    for _ in range(outbox_module.AWAIT_MAX + 5):
        box.put(lambda seq: str(seq).encode())
    sent: list[bytes] = []

    def publish(payload: bytes) -> Delivery:
        sent.append(payload)
        d = Delivery()
        d.done = True
        return d

    for _ in range(outbox_module.AWAIT_MAX + 10):
        box.pump(publish, connected=True)
    assert len(sent) == outbox_module.AWAIT_MAX  # the rest wait on disk, in order
    box.acked([(0, 4)])
    for _ in range(10):
        box.pump(publish, connected=True)
    assert sent[-5:] == [str(s).encode() for s in range(50, 55)]


def test_the_queue_survives_a_restart_and_keeps_its_numbering(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    box = Outbox(folder)
    box.put(lambda seq: b"a")
    (folder / "000000000007.tmp").write_bytes(b"half")  # a write cut by a power loss
    again = Outbox(folder)
    assert len(again) == 1 and not list(folder.glob("*.tmp"))
    d = Delivery()
    again.pump(lambda p: d, connected=True)
    d.done = True
    again.pump(lambda p: d, connected=True)
    assert len(again) == 1  # the broker has it, the fleet has not said so
    again.acked([(0, 0)])
    assert len(again) == 0
    assert Outbox(folder).put(lambda seq: b"b") == 1  # numbering goes on after an empty queue


def test_a_full_queue_drops_its_oldest(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "q", limit=10)
    for _ in range(13):
        box.put(lambda seq: str(seq).encode())
    assert len(box) == 10 and box.dropped == 3
    assert sorted(p.name for p in (tmp_path / "q").glob("*.json"))[0] == "000000000003.json"


BASE = {"device_id": "k1x", "broker": {"host": "h", "port": 1}}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"camera": "usb"}, "`camera` must be synthetic"),
        ({"rois": []}, "at least one region"),
        ({"rois": [{"name": "Desk!", "box": [0, 0, 32, 32]}]}, "rois\\[0\\].name"),
        ({"rois": [{"name": "a", "box": [0, 0, 30, 32]}]}, "multiple of 32"),
        ({"rois": [{"name": "a", "box": [600, 0, 664, 32]}]}, "outside the 640x480"),
        (
            {"rois": [{"name": "a", "box": [0, 0, 32, 32]}, {"name": "a", "box": [0, 0, 32, 32]}]},
            "unique",
        ),
        ({"detector": {"enter": "high"}}, "`detector.enter` must be float"),
        ({"detector": {"colour": 1}}, "`detector.colour` is not a setting"),
        ({"detector": {"exit": 0.5}}, "must not exceed enter"),
        ({"detector": {"preset": "mall"}}, "`detector.preset` must be one of"),
        ({"detector": {"person": 1}}, "`detector.person` must be true or false, got 1"),
        ({"detector": {"person_margin": 9.0}}, "person_margin must be 0-4"),
        ({"camera_size": [640]}, "`camera_size` must be"),
        ({"queue_max": 1}, "`queue_max` must be"),
    ],
)
def test_new_config_sections_name_the_key(extra: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({**BASE, **extra})


def test_config_presets_and_relative_paths(tmp_path: Path) -> None:
    cfg = parse_config(
        {**BASE, "detector": {"preset": "pedestrian", "exit_s": 0.5}, "queue_dir": "q"}, tmp_path
    )
    assert cfg.detector.enter_s == 0.15 and cfg.detector.exit_s == 0.5
    assert cfg.detector.enter == 0.3 and cfg.detector.person  # the walkway: the 30% rule
    off = parse_config({**BASE, "detector": {"person": False}}, tmp_path)
    assert off.detector.person is False
    assert cfg.queue_dir == tmp_path / "q"
    assert parse_config(BASE).detector.enter_s == 2.5  # the counter, by default


class FlakyCamera:
    """Delivers two frames, fails, then delivers frames again (a USB camera replugged)."""

    def __init__(self) -> None:
        self.opened = 0

    def frames(self):  # type: ignore[no-untyped-def]
        self.opened += 1
        if self.opened == 2:
            raise CameraError("camera /dev/video0 stopped delivering frames")
        for _ in range(2 if self.opened == 1 else 3):
            yield np.full((480, 640), 90, np.uint8)
        if self.opened == 1:
            raise CameraError("camera /dev/video0 stopped delivering frames")


def test_a_camera_that_fails_is_counted_and_opened_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(agent_module, "REOPEN_MAX_S", 0.2)
    cfg = parse_config({**BASE, "queue_dir": str(tmp_path / "q")})
    camera = FlakyCamera()
    agent = KioskAgent(cfg, source=camera)
    stop = threading.Event()
    got, health = [], []
    for frame, _t in agent._frames(stop):
        health.append((agent.camera_ok, agent.camera_errors))
        if frame is not None:
            got.append(frame)
        if len(got) == 5:
            break
    assert camera.opened == 3 and agent.camera_errors == 2
    assert (False, 1) in health and health[-1] == (True, 2)  # reported while away, then back


def test_frames_of_another_size_are_skipped_and_counted(tmp_path: Path) -> None:
    cfg = parse_config({**BASE, "queue_dir": str(tmp_path / "q")})
    agent = KioskAgent(cfg, source=FlakyCamera())
    agent.process(np.zeros((240, 320), np.uint8), 0.0)
    agent.process(np.zeros((480, 640), np.uint8), 0.1)
    assert agent.frames_skipped == 1


def test_sessions_today_starts_again_at_local_midnight() -> None:
    log = SessionLog()
    log.start(10.0, "2026-11-27")
    log.start(20.0, "2026-11-27")
    assert log.today == 2
    log.roll("2026-11-27")
    assert log.today == 2
    log.start(30.0, "2026-11-28")
    assert log.today == 1 and log.hour(40.0)[0] == 3  # the last hour spans midnight
    log.roll("2026-11-29")  # a day with no sessions
    assert log.today == 0
