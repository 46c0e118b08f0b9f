"""The kiosk's perceptual hashes (against imagehash on real frames), the session detector on
scenes with known answers, and the evaluation harness on the labelled vtest.avi clip."""

import json
import os
from pathlib import Path

import cv2
import imagehash
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from cli.main import cli
from edge_kiosk import evaluation as ev
from edge_kiosk.detector import DetectorParams, SessionDetector
from edge_kiosk.hashes import RoiHasher, hamming

ROOT = Path(__file__).resolve().parent.parent
VTEST = ROOT / ".cache" / "opencv" / "vtest.avi"  # scripts/fetch-opencv-samples (bootstrap)
NO_VTEST = "no .cache/opencv/vtest.avi: run scripts/fetch-opencv-samples (bootstrap does)"
# Evaluation data kept outside the product (../shared/data/kiosk/README.md: not to be shipped);
# CRMS_KIOSK_LABELS points elsewhere.
LABELS = Path(
    os.environ.get(
        "CRMS_KIOSK_LABELS", ROOT.parent / "shared" / "data" / "kiosk" / "vtest_sessions_dev.csv"
    )
)
FPS = 7.0


@pytest.fixture(scope="module")
def vtest_frames() -> list[np.ndarray]:
    assert VTEST.is_file(), NO_VTEST
    frames = list(ev.luma_frames(VTEST))
    assert len(frames) == 795
    return frames


def test_hashes_agree_with_imagehash_box_on_real_frames(
    vtest_frames: list[np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imagehash, "ANTIALIAS", Image.Resampling.BOX)
    rois = [(128, 128, 128, 128), (384, 256, 128, 128), (64, 64, 256, 192), (0, 0, 768, 576)]
    diffs: dict[str, list[int]] = {"average": [], "difference": [], "perceptual": []}
    for frame in vtest_frames[::20]:
        for x0, y0, w, h in rois:
            roi = np.ascontiguousarray(frame[y0 : y0 + h, x0 : x0 + w])
            hasher = RoiHasher(h, w)
            image = Image.fromarray(roi)
            theirs = {
                "average": imagehash.average_hash(image).hash.ravel(),
                "difference": imagehash.dhash(image).hash.ravel(),
                "perceptual": imagehash.phash(image).hash.ravel(),
            }
            for name, bits in theirs.items():
                diffs[name].append(hamming(getattr(hasher, name)(roi), bits))
    means = {name: float(np.mean(v)) for name, v in diffs.items()}
    assert all(m <= 1.0 for m in means.values()), means
    # and they are hashes, not constants: two places of the scene differ
    h, f = RoiHasher(128, 128), vtest_frames[0]
    assert hamming(h.perceptual(f[128:256, 128:256]), h.perceptual(f[256:384, 384:512])) > 8


@pytest.mark.parametrize(("h", "w", "message"), [(100, 128, "height"), (128, 0, "width")])
def test_roi_sizes_must_be_multiples_of_32(h: int, w: int, message: str) -> None:
    with pytest.raises(ValueError, match=f"ROI {message} must be a positive multiple of 32"):
        RoiHasher(h, w)
    with pytest.raises(ValueError, match="hasher expects"):
        RoiHasher(64, 64).grid(np.zeros((64, 96), np.uint8))


def _scene(seconds: float, fps: float, seed: int = 0) -> list[np.ndarray]:
    """A textured counter under sensor noise."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(60, 190, size=(6, 6))  # objects and shading on the counter
    base = cv2.resize(coarse, (128, 128), interpolation=cv2.INTER_LINEAR)
    base += rng.normal(0, 6, base.shape)  # fine texture
    return [np.clip(base + rng.normal(0, 1, base.shape), 0, 255) for _ in range(int(seconds * fps))]


def _events(frames: list[np.ndarray], fps: float) -> list[tuple[str, float]]:
    det = SessionDetector(128, 128)
    det.learn([f.astype(np.uint8) for f in frames[: int(fps)]])
    out = []
    for i, f in enumerate(frames):
        out += [(e.kind, e.t) for e in det.feed(f.astype(np.uint8), i / fps)]
    out += [(e.kind, e.t) for e in det.finish(len(frames) / fps)]
    return out


def test_a_customer_is_one_session_dated_to_the_frames() -> None:
    fps = 10.0
    frames = _scene(12, fps)
    for i in range(int(3 * fps), int(8 * fps)):  # a dark coat over a third of the ROI, moving
        x = 30 + (i % 7)
        frames[i][20:110, x : x + 45] = 35.0
    events = _events(frames, fps)
    assert [k for k, _ in events] == ["start", "end"], events
    assert abs(events[0][1] - 3.0) <= 0.2 and abs(events[1][1] - 8.0) <= 0.2


@pytest.mark.parametrize("kind", ["step", "ramp", "flicker"])
def test_brightness_changes_alone_start_no_session(kind: str) -> None:
    fps = 10.0
    frames = _scene(20, fps, seed=1)
    for i in range(len(frames)):
        t = i / fps
        if kind == "step":
            gain = 1.0 if t < 5 else (1.4 if t < 12 else 0.7)
        elif kind == "ramp":
            gain = 1.0 + 0.4 * min(max(t - 4, 0) / 6, 1.0)
        else:  # mains flicker beating with the frame rate
            gain = 1.0 + 0.15 * np.sin(2 * np.pi * 1.3 * t)
        frames[i] = np.clip(frames[i] * gain, 0, 255)
    assert _events(frames, fps) == []


def _bright_scene(seconds: float, fps: float) -> list[np.ndarray]:
    """A counter with highlights (a lit sign, a window) close to the sensor's top."""
    rng = np.random.default_rng(7)
    coarse = rng.uniform(90, 235, size=(5, 5))
    base = cv2.resize(coarse, (128, 128), interpolation=cv2.INTER_LINEAR)
    base += rng.normal(0, 12, base.shape)
    return [base + rng.normal(0, 1, base.shape) for _ in range(int(seconds * fps))]


def _clipped_gain(frames: list[np.ndarray], fps: float, gain: float, since: float) -> None:
    for i in range(int(since * fps), len(frames)):
        frames[i] = frames[i] * gain
    for i, f in enumerate(frames):
        frames[i] = np.clip(f, 0, 255)


def test_an_exposure_step_that_clips_highlights_starts_no_session() -> None:
    # x1.45 saturates about a quarter of this ROI: after normalisation the clipped cells no
    # longer match the reference unless the detector predicts the clipping (as it does).
    fps = 7.0
    frames = _bright_scene(20, fps)
    _clipped_gain(frames, fps, 1.45, since=6.0)
    assert np.mean(frames[-1] >= 250) > 0.15
    det = SessionDetector(128, 128, DetectorParams(enter_s=0.15))  # the quickest preset
    det.learn([f.astype(np.uint8) for f in frames[: int(fps)]])
    events = [e for i, f in enumerate(frames) for e in det.feed(f.astype(np.uint8), i / fps)]
    assert events == []
    assert det.exposure == pytest.approx(1.45, abs=0.05)


def test_a_customer_is_still_seen_at_a_clipping_exposure() -> None:
    fps = 7.0
    frames = _bright_scene(20, fps)
    _clipped_gain(frames, fps, 1.45, since=3.0)
    for i in range(int(8 * fps), int(13 * fps)):
        frames[i][30:120, 40:85] = 40.0  # a dark coat, after the step
    det = SessionDetector(128, 128, DetectorParams(enter_s=0.15))
    det.learn([f.astype(np.uint8) for f in frames[: int(fps)]])
    events = [
        (e.kind, e.t) for i, f in enumerate(frames) for e in det.feed(f.astype(np.uint8), i / fps)
    ]
    assert [k for k, _ in events] == ["start", "end"], events
    assert abs(events[0][1] - 8.0) <= 0.3 and abs(events[1][1] - 13.0) <= 0.3


def test_a_wrong_reference_is_absorbed_when_the_scene_stays_static() -> None:
    fps = 5.0
    frames = _scene(30, fps, seed=2)
    det = SessionDetector(128, 128, DetectorParams(absorb_s=10.0))
    occupied = frames[0].copy()
    occupied[10:120, 20:80] = 30.0
    det.learn([occupied.astype(np.uint8)])  # learned while someone stood there
    events = []
    for i, f in enumerate(frames):
        events += [(e.kind, e.t) for e in det.feed(f.astype(np.uint8), i / fps)]
    assert [k for k, _ in events] == ["start", "end"]
    assert events[1][1] <= 1.0  # ended where the scene froze, not when it was absorbed
    assert not det.in_session


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enter", 0.0, "detector.enter must be in"),
        ("exit", 0.5, "must not exceed enter"),
        ("exit_s", -1.0, "detector.exit_s must be 0-60 s"),
        ("hash_weight", 2.0, "detector.hash_weight must be 0-1"),
        ("thumb", 12, "detector.thumb must be"),
    ],
)
def test_detector_parameters_are_checked(field: str, value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DetectorParams(**{field: value}).check()


def test_scores_have_known_answers() -> None:
    truth = {"A": [ev.Session(10, 20), ev.Session(30, 40)]}
    assert ev.score(truth, truth, 1.0).f1 == {"1s": 1.0, "2s": 1.0}
    late = {"A": [ev.Session(11.5, 21.5), ev.Session(31.5, 41.5)]}
    s = ev.score(truth, late, 1.0)
    assert s.f1 == {"1s": 0.0, "2s": 1.0} and s.service_time_mae_s == 0.0
    extra = {"A": [*truth["A"], ev.Session(50, 55)]}
    s = ev.score(truth, extra, 0.5)
    assert s.f1["1s"] == pytest.approx(8 / 10) and s.false_per_hour == 2.0
    assert s.count_error == 0.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roi,x0,y0\n", "the header must be"),
        ("roi,x0,y0,x1,y1,start_frame,end_frame\nA,0,0,64,64,5\n", ":2: 6 fields"),
        ("roi,x0,y0,x1,y1,start_frame,end_frame\nA,0,0,64,64,5,x\n", "whole numbers"),
        ("roi,x0,y0,x1,y1,start_frame,end_frame\nA,0,0,60,64,5,9\n", "multiple of 32"),
        ("roi,x0,y0,x1,y1,start_frame,end_frame\nA,0,0,64,64,9,5\n", "before end_frame"),
        ("roi,x0,y0,x1,y1,start_frame,end_frame\n", "no ROIs"),
    ],
)
def test_bad_label_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "labels.csv"
    f.write_text(text)
    with pytest.raises(ev.LabelError, match=message):
        ev.load_labels(f)


@pytest.mark.skipif(
    not LABELS.is_file(),
    reason=f"no vtest labels at {LABELS}: they are evaluation data outside the repository "
    "(../shared/data/kiosk/, or set CRMS_KIOSK_LABELS); test_kiosk_eval_on_a_counter_sequence "
    "checks the same command on labels we generate",
)
def test_kiosk_eval_on_vtest_beats_the_old_system(tmp_path: Path) -> None:
    assert VTEST.is_file(), NO_VTEST
    args = ["kiosk", "eval", "--video", str(VTEST), "--labels", str(LABELS), "--fps", "7"]
    args += ["--preset", "pedestrian"]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    s = out["scores"]
    assert out["frames"] == 795 and s["true_sessions"] == 53
    # The system this replaces claimed about 80%; the goal is 0.90 within 1 s.
    assert s["f1"]["1s"] >= 0.88 and s["f1"]["2s"] >= 0.90, s
    assert s["count_error"] <= 0.10 and s["service_time_mae_s"] <= 2.0
    # A ROI outside the frame is named, not a crash.
    bad = tmp_path / "labels.csv"
    bad.write_text("roi,x0,y0,x1,y1,start_frame,end_frame\nZ,768,0,800,32,1,5\n")
    result = CliRunner().invoke(cli, ["kiosk", "eval", "--video", str(VTEST), "--labels", str(bad)])
    assert result.exit_code == 2 and "ROI Z" in result.output and "outside" in result.output


def test_kiosk_eval_on_a_counter_sequence(tmp_path: Path) -> None:
    """make-sequence writes a labelled counter-like clip from real photos; eval scores it."""
    runner = CliRunner()
    made = runner.invoke(
        cli,
        ["kiosk", "make-sequence", "--out", str(tmp_path), "--seconds", "80", "--seed", "8",
         "--stay-s", "8", "20", "--photos", str(VTEST.parent)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    labels = (tmp_path / "counter.csv").read_text().splitlines()
    assert labels[0] == "roi,x0,y0,x1,y1,start_frame,end_frame" and len(labels) == 5
    args = ["kiosk", "eval", "--video", str(tmp_path / "counter.avi"), "--labels"]
    result = runner.invoke(cli, [*args, str(tmp_path / "counter.csv"), "--no-prime", "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)["scores"]
    assert s["true_sessions"] == 4 and s["found_sessions"] == 4, s
    assert s["f1"]["1s"] == 1.0 and s["service_time_mae_s"] <= 1.0
    # too short for any customer: named, not an empty sequence
    short = runner.invoke(cli, ["kiosk", "make-sequence", "--out", str(tmp_path), "--seconds", "5"])
    assert short.exit_code == 2 and "no customer fits" in short.output
