"""The kiosk agent end to end: a labelled counter-like sequence replayed through the real agent
and a real Mosquitto; the fleet gets the session events, counts and telemetry, and queues
recording commands for the station's badge. With the broker away, events wait on disk and
arrive in order, once; taken by the broker with no fleet to store them, they are sent again
until the fleet acknowledges them."""

import asyncio
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_event
from devtools.broker import MosquittoProcess
from edge_kiosk import counter_scenes as cs
from edge_kiosk import outbox as outbox_module
from edge_kiosk.agent import KioskAgent
from edge_kiosk.config import parse_config
from fleet.db import close_db, open_db
from fleet.devices.kiosk_sessions import PREROLL_S
from fleet.devices.models import Command, Event, Telemetry
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import SQLITE_ONLY, RunningFleet, _fleet_settings, eventually, running_fleet

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / ".cache" / "opencv"  # scripts/fetch-opencv-samples (bootstrap)
KIOSK, BADGE, STATION = "kiosk-0301", "badge-0301", "st-9"


@pytest.fixture(scope="module")
def sequence(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int]]]:
    """80 s of a counter at 5 fps with four customers, and their labels."""
    scene = cs.CounterScene(seconds=80, fps=5, seed=8, stay_s=(8.0, 20.0))
    video, _labels = cs.write(scene, PHOTOS, tmp_path_factory.mktemp("counter"), "counter")
    truth = cs.labels(scene)
    assert len(truth) >= 2, "the seed should give at least two customers"
    return video, truth


def _config(tmp_path: Path, port: int, video: Path, speed: float) -> dict:
    return {
        "device_id": KIOSK,
        "station": STATION,
        "broker": {"host": "127.0.0.1", "port": port},
        "tele_interval_s": 1,
        "camera": f"file:{video}",
        "camera_fps": 5,
        "replay_speed": speed,
        "queue_dir": str(tmp_path / "queue"),
        "presence_file": str(tmp_path / "presence.jsonl"),
    }


def _start(cfg: dict) -> tuple[KioskAgent, threading.Event, threading.Thread]:
    agent = KioskAgent(parse_config(cfg))
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, args=(stop,))
    thread.start()
    return agent, stop, thread


async def _events(kind: str | None = None) -> list[Event]:
    q = Event.filter(device_id=KIOSK)
    if kind:
        q = q.filter(type=kind)
    return await q.order_by("seq")


@SQLITE_ONLY
async def test_sessions_counts_and_recording_commands_reach_the_fleet(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path, sequence: tuple
) -> None:
    await register(DeviceSpec(KIOSK, "kiosk", STATION))
    await register(DeviceSpec(BADGE, "badge", STATION))
    video, truth = sequence
    _agent, stop, thread = _start(_config(tmp_path, broker.config.port, video, speed=8))
    try:

        async def all_ended() -> list[Event]:
            ends = await _events("session_end")
            return ends if len(ends) >= len(truth) else []

        ends = await eventually(all_ended, timeout=60)

        async def counted() -> dict:
            rows = await Telemetry.filter(device_id=KIOSK).order_by("-seq").limit(1)
            done = rows and rows[0].data["sessions_hour"] == len(truth)
            return rows[0].data if done and rows[0].data["camera_ok"] is False else {}

        tele = await eventually(counted, timeout=30)
    finally:
        stop.set()
        thread.join(20)
    assert not thread.is_alive()
    starts = await _events("session_start")
    assert len(starts) == len(ends) == len(truth)
    # each session's boundaries and duration, against the labels (5 fps, replayed 8x)
    for (a, b), start, end in zip(truth, starts, ends, strict=True):
        assert start.data["session"] == end.data["session"]
        assert abs(start.data["t_s"] - a / 5) <= 1.0 and abs(end.data["t_s"] - b / 5) <= 1.0
        assert abs(end.data["duration_s"] - (b - a) / 5) <= 2.0
    assert tele["service_s_avg"] > 0 and "proc_ms" in tele and tele["queue"] == 0
    # the badge at the kiosk's station gets a rec_start and a rec_stop per session
    cmds = await Command.filter(device_id=BADGE).order_by("created_at")
    sessions = [s.data["session"] for s in starts]
    assert [c.op for c in cmds] == ["rec_start", "rec_stop"] * len(truth)
    assert [c.args["kiosk_session"] for c in cmds[::2]] == sessions
    # each start asks the badge to keep, before its split, the kiosk's confirmation lag
    # (counter preset: 2.5 s) plus the fleet's pre-roll margin
    for start, cmd in zip(starts, cmds[::2], strict=True):
        assert 2.4 <= start.data["lag_s"] <= 3.5
        assert cmd.args["preroll_ms"] == round((start.data["lag_s"] + PREROLL_S) * 1000)
    assert all("preroll_ms" not in c.args for c in cmds[1::2])
    # and the content player saw presence
    lines = (tmp_path / "presence.jsonl").read_text().splitlines()
    assert len(lines) == 2 * len(truth) and '"session_start"' in lines[0]


@SQLITE_ONLY
async def test_events_wait_on_disk_while_the_broker_is_away(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path, sequence: tuple
) -> None:
    await register(DeviceSpec(KIOSK, "kiosk", STATION))
    video, truth = sequence
    broker.stop()
    agent, stop, thread = _start(_config(tmp_path, broker.config.port, video, speed=8))
    try:
        # the whole clip plays with no broker: every boundary is stored on disk
        await eventually(lambda: len(agent.outbox) >= 2 * len(truth), timeout=60)
        assert sorted(p.name for p in (tmp_path / "queue").glob("*.json"))[0] == "000000000000.json"
        await asyncio.sleep(1.0)
        broker.start()

        async def delivered() -> list[Event]:
            rows = await _events()
            return rows if len(rows) >= 2 * len(truth) and len(agent.outbox) == 0 else []

        rows = await eventually(delivered, timeout=60)
    finally:
        stop.set()
        thread.join(20)
    assert [r.seq for r in rows] == list(range(2 * len(truth)))  # in order, each once
    assert [r.type for r in rows] == ["session_start", "session_end"] * len(truth)
    assert not list((tmp_path / "queue").glob("*.json"))


async def test_a_session_event_delivered_twice_is_stored_and_relayed_once(
    fleet: RunningFleet, broker: MosquittoProcess
) -> None:
    await register(DeviceSpec(KIOSK, "kiosk", STATION))
    await register(DeviceSpec(BADGE, "badge", STATION))
    kiosk = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=KIOSK)
    kiosk.connect("127.0.0.1", broker.config.port)
    kiosk.loop_start()
    try:
        first = encode_event(7, "session_start", 1, {"session": "s-0000abcd-1", "roi": "desk"})
        other = encode_event(7, "session_start", 2, {"session": "s-0000ffff-1", "roi": "desk"})
        for payload in (first, first, other):  # a re-sent event, then a wiped queue's new one
            kiosk.publish(topic(KIOSK, Channel.EVT), payload, qos=1).wait_for_publish(5)
        await eventually(lambda: Event.filter(device_id=KIOSK).count(), timeout=10)
        await asyncio.sleep(0.5)  # the duplicate has had time to arrive too
    finally:
        kiosk.loop_stop()
        kiosk.disconnect()
    rows = await _events()
    assert [r.data["session"] for r in rows] == ["s-0000abcd-1", "s-0000ffff-1"]
    assert fleet.ingest.stats.ignored["duplicate_event"] == 1
    cmds = await Command.filter(device_id=BADGE)
    assert sorted(c.args["kiosk_session"] for c in cmds) == ["s-0000abcd-1", "s-0000ffff-1"]


@SQLITE_ONLY
async def test_events_the_broker_took_but_no_fleet_stored_are_sent_again(
    broker: MosquittoProcess,
    tmp_path: Path,
    fleet_db_url: str,
    sequence: tuple,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The broker acknowledges every event while no fleet is subscribed, and drops them (what
    a subscriber that dies before acking can cost, eclipse/mosquitto#2662): the kiosk keeps
    them until the fleet's own ack, so they arrive once the fleet is there."""
    monkeypatch.setattr(outbox_module, "RESEND_S", 2.0)  # the contract's 30 s, shortened
    await open_db(fleet_db_url)
    await register(DeviceSpec(KIOSK, "kiosk", STATION))
    await close_db()
    video, truth = sequence
    agent, stop, thread = _start(_config(tmp_path, broker.config.port, video, speed=8))
    try:
        # every boundary taken by the broker (nobody subscribed) and still on disk
        await eventually(lambda: agent.outbox.resent >= 1, timeout=90)
        assert len(agent.outbox) >= 1 and agent.outbox.sent == 0
        settings = _fleet_settings(broker, tmp_path, fleet_db_url)
        async with running_fleet(settings):

            async def delivered() -> list[Event]:
                rows = await _events()
                return rows if len(rows) >= 2 * len(truth) and len(agent.outbox) == 0 else []

            rows = await eventually(delivered, timeout=90)
    finally:
        stop.set()
        thread.join(20)
    assert [r.seq for r in rows] == list(range(2 * len(truth)))  # each once
    assert agent.outbox.sent == 2 * len(truth)
