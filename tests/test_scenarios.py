"""Scenarios and the content library (issue 21), through the fleet's API and a real Mosquitto to
a running kiosk agent: files checked at upload, scenarios refused or warned about where they
are made, a scenario reaching the kiosk's screen (plan and files, each checked) and an edit
reaching it again within a minute, files the plan no longer uses evicted, an archived scenario
gone from the screen, a file in use kept, and proof of play outliving its file."""

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from PIL import Image

from devtools.broker import MosquittoProcess
from edge_kiosk.agent import KioskAgent
from edge_kiosk.config import parse_config
from edge_kiosk.sources import SyntheticSource
from fleet.devices.registry import DeviceSpec, register
from fleet.hierarchy.models import Station
from fleet.surveys.models import Play, Screen
from tests.conftest import RunningFleet, eventually
from tests.test_screen_plan import write_video

KIOSK = "kiosk-0601"
STATION = "st-6"


async def upload(fleet: RunningFleet, path: Path, name: str | None = None) -> tuple[int, Any]:
    form = aiohttp.FormData()
    if name:
        form.add_field("name", name)
    form.add_field("file", path.read_bytes(), filename=path.name)
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.post(fleet.url + "api/v1/content", data=form) as r,
    ):
        return r.status, await r.json()


async def call(fleet: RunningFleet, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.request(method, fleet.url + path.lstrip("/"), json=body) as r,
    ):
        return r.status, await r.json()


def body(name: str, playlist: list[str], **more: Any) -> dict[str, Any]:
    return {"name": name, "priority": 100, "target": {"stations": [STATION]},
            "langs": ["ru", "en"],
            "texts": {"ru": {"nps": "Порекомендуете нас?"}, "en": {"nps": "Recommend us?"}},
            "survey": {"trigger": "start", "nps": True, "reasons_below": 7,
                       "reasons": [{"key": "slow", "text": {"ru": "Долго", "en": "Slow"}}],
                       "staff": ["cashier"]},
            "playlist": [{"content": sha, "seconds": 5} for sha in playlist], **more}  # fmt: skip


def screen_state(agent: KioskAgent) -> dict[str, Any]:
    assert agent.screen is not None
    with urllib.request.urlopen(agent.screen.url + "api/state", timeout=5) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


@contextmanager
def running_kiosk(broker: MosquittoProcess, tmp: Path) -> Iterator[KioskAgent]:
    agent = KioskAgent(parse_config({
        "device_id": KIOSK, "station": STATION,
        "broker": {"host": "127.0.0.1", "port": broker.config.port},
        "tele_interval_s": 2, "camera": "synthetic", "queue_dir": str(tmp / "queue"),
        "screen": {"port": 0, "dir": str(tmp / "screen"), "quota_mb": 16},
    }), source=SyntheticSource(480, 640))  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, args=(stop,))
    thread.start()
    try:
        yield agent
    finally:
        stop.set()
        thread.join(20)


async def test_files_are_checked_where_they_are_uploaded(
    fleet: RunningFleet, tmp_path: Path
) -> None:
    status, first = await upload(fleet, write_video(tmp_path / "ad.mp4", "vp09"), "Winter ad")
    assert status == 201 and first["codec"] == "vp09" and first["seconds"] == 2.0, first
    status, again = await upload(fleet, tmp_path / "ad.mp4")  # the same bytes: the same file
    assert status == 201 and again["sha256"] == first["sha256"] and again["name"] == "Winter ad"
    thumb = await fleet.get(f"api/v1/content/{first['sha256']}/thumbnail")
    assert thumb[:3] == b"\xff\xd8\xff"
    status, err = await upload(fleet, write_video(tmp_path / "old.mp4", "mp4v"))
    assert status == 409 and "MPEG-4 Part 2" in err["error"] and "H.264, VP9 or AV1" in err["error"]
    (tmp_path / "notes.png").write_text("not an image")
    status, err = await upload(fleet, tmp_path / "notes.png")
    assert status == 409 and "judged by its first bytes" in err["error"]
    listed = await fleet.get("api/v1/content")
    assert [c["sha256"] for c in listed["items"]] == [first["sha256"]]


async def test_a_scenario_reaches_the_kiosk_and_an_edit_within_a_minute(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await Station.create(id=STATION, name="Sixth", timezone="Europe/Moscow")
    await register(DeviceSpec(KIOSK, "kiosk", STATION))
    Image.new("RGB", (1280, 800), (200, 40, 40)).save(tmp_path / "red.png")
    Image.new("RGB", (800, 1280), (40, 40, 200)).save(tmp_path / "blue.png")
    _, red = await upload(fleet, tmp_path / "red.png")
    _, blue = await upload(fleet, tmp_path / "blue.png")
    _, video = await upload(fleet, write_video(tmp_path / "ad.mp4", "vp09"))

    # refused where it is made, each naming the problem
    status, err = await call(fleet, "POST", "/api/v1/scenarios",
                             {"id": "winter", **body("Winter", ["ef" * 32])})  # fmt: skip
    assert status == 409 and "not in the library" in err["error"]
    never = body("Winter", [red["sha256"]], schedule={"first_day": "2027-02-01",
                                                      "last_day": "2027-01-01"})  # fmt: skip
    status, err = await call(fleet, "POST", "/api/v1/scenarios", {"id": "winter", **never})
    assert status == 409 and "never plays" in err["error"]
    status, err = await call(fleet, "POST", "/api/v1/scenarios",
                             {"id": "winter", **body("W", [red["sha256"]], target={})})  # fmt: skip
    assert status == 409 and "target" in err["error"]

    with running_kiosk(broker, tmp_path) as agent:
        winter = {"id": "winter", **body("Winter", [red["sha256"], video["sha256"]])}
        status, made = await call(fleet, "POST", "/api/v1/scenarios", winter)
        assert status == 201 and made["version"] == 1 and made["warnings"] == []

        async def applied(version: int) -> bool:
            screen = await Screen.get_or_none(device_id=KIOSK)
            if screen is None or screen.state != "applied" or screen.state_plan != screen.plan_sha:
                return False
            sc = screen_state(agent)["scenario"]
            return sc is not None and sc["version"] == version

        await eventually(lambda: applied(1), timeout=30)
        st = screen_state(agent)["scenario"]
        assert [i["content"] for i in st["playlist"]] == [red["sha256"], video["sha256"]]
        assert st["texts"]["ru"]["nps"] == "Порекомендуете нас?"
        files = agent.screen_store.available()  # type: ignore[union-attr]
        assert files == {red["sha256"], video["sha256"]}

        # an edit: a new version, the red image swapped for the blue one
        started = time.monotonic()
        status, edited = await call(fleet, "PUT", "/api/v1/scenarios/winter",
                                    body("Winter", [blue["sha256"], video["sha256"]]))  # fmt: skip
        assert status == 200 and edited["version"] == 2 and edited["kiosks_told"] == 1
        await eventually(lambda: applied(2), timeout=60)
        took = time.monotonic() - started
        assert took < 60, took
        # the red image is no longer used by any scenario of the plan: evicted
        assert agent.screen_store.available() == {blue["sha256"], video["sha256"]}  # type: ignore[union-attr]

        # a file in use cannot be deleted; warnings for no slot today and an equal priority
        status, err = await call(fleet, "DELETE", f"/api/v1/content/{blue['sha256']}")
        assert status == 409 and "winter" in err["error"]
        tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
        later = body("Promo", [video["sha256"]], schedule={"first_day": tomorrow})
        status, promo = await call(fleet, "POST", "/api/v1/scenarios", {"id": "promo", **later})
        assert status == 201
        assert any(w.startswith("no slot today") for w in promo["warnings"]), promo["warnings"]
        assert any("same priority (100) as winter" in w for w in promo["warnings"]), promo[
            "warnings"
        ]
        preview = await fleet.get(f"api/v1/screens/{KIOSK}/preview?at={tomorrow}T12:00:00%2B00:00")
        # both play then: the more recently published (promo) wins, and the tie is named
        assert preview["scenario"]["id"] == "promo" and sorted(preview["ties"]) == [
            "promo",
            "winter",
        ]

        # proof of play from the screen: tallied per hour, sent when the hour is over, kept
        # when the file goes
        for present in (False, True, True):
            agent.submit_play({"content": red["sha256"], "scenario": "winter", "version": 1,
                               "seconds": 5.0, "present": present})  # fmt: skip
        assert await Play.filter(device_id=KIOSK).count() == 0  # the hour is not over
        agent.wall = lambda: time.time() + 3600  # an hour later
        await eventually(lambda: Play.exists(device_id=KIOSK, content=red["sha256"]))
        status, _ = await call(fleet, "DELETE", f"/api/v1/content/{red['sha256']}")
        assert status == 200
        report = await fleet.get("api/v1/plays/report?by=content")
        (row,) = [r for r in report["items"] if r["content"] == red["sha256"]]
        assert (row["plays"], row["with_customer"], row["seconds"], row["name"]) == (
            3, 2, 15.0, "red.png")  # fmt: skip

        # archived: gone from the screen
        await call(fleet, "DELETE", "/api/v1/scenarios/winter")
        await call(fleet, "DELETE", "/api/v1/scenarios/promo")

        async def blank() -> bool:
            return screen_state(agent)["scenario"] is None

        await eventually(blank, timeout=30)
