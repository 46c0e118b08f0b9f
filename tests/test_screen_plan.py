"""The screen's plan (crmsensor/protocol/screen.py) and the checks on ad files
(fleet/content/): what plays when, ties resolved the same way everywhere, and bad plans and
files refused with the field or problem named."""

import copy
import io
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from crmsensor.errors import ProtocolError
from crmsensor.protocol.screen import active, check_plan, plays_at, plays_on, ties
from fleet.content import media
from fleet.content.mp4info import Mp4Error, read_mp4

SHA = "ab" * 32


def scenario(sid: str = "summer", priority: int = 100, published: int = 1_790_000_000,
             **schedule: object) -> dict:  # fmt: skip
    return {
        "id": sid, "version": 1, "name": sid, "priority": priority, "published": published,
        "schedule": {"days": [1, 2, 3, 4, 5, 6, 7], "hours": [], **schedule},
        "langs": ["ru", "en"], "texts": {"ru": {"nps": "Оцените нас"}},
        "survey": {"trigger": "start", "nps": True, "staff": ["cashier"]},
        "playlist": [{"content": SHA, "seconds": 8}],
    }  # fmt: skip


def plan(*scenarios: dict) -> dict:
    return {"kiosk": "kiosk-0001", "issued": 1_790_000_000, "tz": "Europe/Moscow",
            "scenarios": list(scenarios),
            "content": {SHA: {"type": "image/png", "size": 1000}}}  # fmt: skip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_dayparting_dates_and_weekdays() -> None:
    s = scenario(first_day="2026-12-01", last_day="2026-12-31", days=[1, 2, 3, 4, 5],
                 hours=["07:00-10:00", "22:00-02:00"])["schedule"]  # fmt: skip
    assert plays_at(s, at("2026-12-01T08:30"))  # a Tuesday morning
    assert not plays_at(s, at("2026-12-01T12:00"))  # between the windows
    assert plays_at(s, at("2026-12-04T23:30"))  # Friday night
    # Saturday 01:00 belongs to Friday's window that crossed midnight
    assert plays_at(s, at("2026-12-05T01:00"))
    assert not plays_at(s, at("2026-12-06T01:00"))  # Sunday 01:00: Saturday had no window
    assert not plays_at(s, at("2026-11-30T08:30"))  # before the first day
    assert not plays_on(s, at("2026-12-05T00:00").date())  # a Saturday


def test_priority_then_the_latest_published_wins() -> None:
    p = check_plan(plan(scenario("base", 10), scenario("promo", 50, hours=["12:00-14:00"])))
    assert active(p, at("2026-12-01T13:00"))["id"] == "promo"  # type: ignore[index]
    assert active(p, at("2026-12-01T15:00"))["id"] == "base"  # type: ignore[index]
    # equal priority: the more recently published, whoever asks (the fleet or the kiosk)
    p = check_plan(plan(scenario("a", 50, 1_790_000_100), scenario("b", 50, 1_790_000_000)))
    assert active(p, at("2026-12-01T13:00"))["id"] == "a"  # type: ignore[index]
    assert sorted(ties(p["scenarios"], at("2026-12-01T13:00"))) == ["a", "b"]
    p = check_plan(plan(scenario("only", last_day="2026-01-01")))
    assert active(p, at("2026-12-01T13:00")) is None


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda p: p["scenarios"][0]["schedule"].update(last_day="2020-01-01",
                                                        first_day="2021-01-01"), "never plays"),
        (lambda p: p["scenarios"][0]["schedule"].update(hours=["25:00-26:00"]), "hours[0]"),
        (lambda p: p["scenarios"][0]["schedule"].update(days=[0]), "days"),
        (lambda p: p["scenarios"][0]["playlist"].append({"content": "cd" * 32}), "playlist[1]"),
        (lambda p: p["scenarios"][0]["survey"].update(staff=["manager"]), "survey.staff"),
        (lambda p: p["scenarios"][0]["survey"].update(nps=False, staff=[]), "asks the NPS"),
        (lambda p: p["scenarios"][0]["survey"].update(reasons=[{"key": "slow", "text": {}}]),
         "reasons[0]"),
        (lambda p: p["content"].update({"XYZ": {"type": "image/png", "size": 1}}), "SHA-256"),
        (lambda p: p["content"][SHA].update(type="video/avi"), "type"),
        (lambda p: p["scenarios"][0].update(langs=["RU"]), "langs"),
    ],
)  # fmt: skip
def test_a_bad_plan_is_refused_naming_the_field(change: object, named: str) -> None:
    p = copy.deepcopy(plan(scenario()))
    change(p)  # type: ignore[operator]
    with pytest.raises(ProtocolError, match=named.replace("[", r"\[").replace("]", r"\]")):
        check_plan(p)


def write_video(
    path: Path, fourcc: str, seconds: float = 2.0, size: tuple[int, int] = (320, 240)
) -> Path:
    """An MP4 written by OpenCV's FFmpeg: vp09 (Chromium plays it) or mp4v (it does not)."""
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25, size)
    assert w.isOpened(), fourcc
    for i in range(int(seconds * 25)):
        frame = np.zeros((size[1], size[0], 3), np.uint8)
        frame[:, : (i * 7) % size[0]] = (40, 160, 220)
        w.write(frame)
    w.release()
    return path


def test_mp4_boxes_give_codec_size_and_length(tmp_path: Path) -> None:
    vp9 = write_video(tmp_path / "ad.mp4", "vp09", 2.0)
    with vp9.open("rb") as f:
        info = read_mp4(f, vp9.stat().st_size)
    assert (info.codec, info.width, info.height) == ("vp09", 320, 240)
    assert abs(info.seconds - 2.0) < 0.05
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(vp9.read_bytes()[:40])
    with cut.open("rb") as f, pytest.raises(Mp4Error):
        read_mp4(f, 40)


def test_media_checks_name_the_problem(tmp_path: Path) -> None:
    ok = media.inspect(write_video(tmp_path / "ok.mp4", "vp09", 2.0))
    assert ok.type == "video/mp4" and ok.codec == "vp09"
    assert len(media.thumbnail(tmp_path / "ok.mp4", ok)) > 500
    with pytest.raises(media.MediaRefused, match=r"MPEG-4 Part 2.*cannot play"):
        media.inspect(write_video(tmp_path / "old.mp4", "mp4v", 2.0))
    with pytest.raises(media.MediaRefused, match=r"0\.4 s long"):
        media.inspect(write_video(tmp_path / "short.mp4", "vp09", 0.4))
    png = tmp_path / "a.png"
    Image.new("RGB", (1280, 800), (200, 30, 30)).save(png)
    assert media.inspect(png).type == "image/png"
    Image.new("RGB", (100, 80)).save(tmp_path / "tiny.png")
    with pytest.raises(media.MediaRefused, match="100x80"):
        media.inspect(tmp_path / "tiny.png")
    gif = io.BytesIO()
    Image.new("RGB", (640, 480)).save(gif, "GIF")
    (tmp_path / "x.jpg").write_bytes(gif.getvalue())  # the name says JPG; the bytes do not
    with pytest.raises(media.MediaRefused, match="not a JPG, PNG or MP4"):
        media.inspect(tmp_path / "x.jpg")
    broken = tmp_path / "broken.jpg"
    jpeg = io.BytesIO()
    Image.new("RGB", (640, 480)).save(jpeg, "JPEG")
    broken.write_bytes(jpeg.getvalue()[:300])
    with pytest.raises(media.MediaRefused, match="cannot be read"):
        media.inspect(broken)
