"""The kiosk's person evidence (edge_kiosk.person): the labels' 30% rule from moving blobs in
a window around the ROI, blind to camera gain, and a standing customer not learnt away."""

import cv2
import numpy as np
import pytest

from edge_kiosk import evaluation as ev
from edge_kiosk.detector import DetectorParams, SessionDetector, preset
from edge_kiosk.person import PersonEvidence
from edge_kiosk.roi import Roi
from tests.test_kiosk_detector import LABELS, NO_VTEST, VTEST

WINDOW = (192, 192)  # h, w: a 64x64 ROI grown by one ROI size on every side
ROI = (64, 64, 128, 128)
PERSON = (40, 96)  # w, h in pixels: taller than the ROI, as people are near a camera


def _background(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(70, 180, size=(8, 8)).astype(np.float32)
    base = cv2.resize(coarse, WINDOW[::-1], interpolation=cv2.INTER_LINEAR)
    return np.asarray(base + rng.normal(0, 5, base.shape), np.float32)


def _frame(base: np.ndarray, rng: np.random.Generator, at: tuple[int, int] | None = None,
           gain: float = 1.0) -> np.ndarray:  # fmt: skip
    """The scene under sensor noise, with a person whose box's top-left corner is ``at``."""
    f = base + rng.normal(0, 1.5, base.shape)
    if at is not None:
        x, y = at
        w, h = PERSON
        f[max(y, 0) : y + h, max(x, 0) : x + w] = (
            30 + rng.normal(0, 8, (h, w))[max(-y, 0) : WINDOW[0] - y, max(-x, 0) : WINDOW[1] - x]
        )
    return np.clip(f * gain, 0, 255).astype(np.uint8)


def _evidence(base: np.ndarray, rng: np.random.Generator) -> PersonEvidence:
    ev = PersonEvidence(WINDOW, ROI)
    ev.learn([_frame(base, rng) for _ in range(10)])
    return ev


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (76, 1.0),  # wholly inside the ROI's columns: 64 of 96 rows inside -> 2/3
        (120, 0.2),  # 8 of 40 columns inside
        (150, 0.0),  # beside the ROI
    ],
)
def test_the_share_is_the_part_of_the_persons_box_inside_the_roi(x: int, expected: float) -> None:
    rng = np.random.default_rng(1)
    base = _background()
    ev = _evidence(base, rng)
    share = ev.share(_frame(base, rng, at=(x, 48)))
    rows_inside = (min(128, 48 + PERSON[1]) - max(64, 48)) / PERSON[1]
    want = expected * rows_inside
    assert share == pytest.approx(want, abs=0.08), (share, want, ev.boxes)


@pytest.mark.parametrize("gain", [0.6, 1.4])
def test_a_gain_step_is_not_a_person(gain: float) -> None:
    rng = np.random.default_rng(2)
    base = _background()
    ev = _evidence(base, rng)
    shares = [ev.share(_frame(base, rng, gain=gain)) for _ in range(5)]
    assert max(shares) < 0.05, shares
    assert ev.gain == pytest.approx(gain, rel=0.05)
    # ...and a person in that light still is
    assert ev.share(_frame(base, rng, at=(76, 40), gain=gain)) > 0.5


def test_a_standing_customer_is_not_learnt_while_the_session_is_open() -> None:
    rng = np.random.default_rng(3)
    base = _background()
    frozen, learning = _evidence(base, rng), _evidence(base, rng)
    frozen.history = learning.history = 50  # learn fast, so that learning would show
    frozen.reset(_frame(base, rng))
    learning.reset(_frame(base, rng))
    for _ in range(300):
        f = _frame(base, rng, at=(76, 40))
        kept, lost = frozen.share(f, learn=False), learning.share(f, learn=True)
    assert kept > 0.5  # still there after 300 frames
    assert lost < kept  # the model that kept learning has taken her for background


def test_bad_windows_are_named() -> None:
    with pytest.raises(ValueError, match="does not lie inside"):
        PersonEvidence((64, 64), (0, 0, 128, 64))
    ev = PersonEvidence(WINDOW, ROI)
    with pytest.raises(ValueError, match=r"window of shape \(64, 64\), expected \(192, 192\)"):
        ev.share(np.zeros((64, 64), np.uint8))
    with pytest.raises(ValueError, match="person_margin must be 0-4"):
        DetectorParams(person_margin=5).check()


def test_the_window_is_the_roi_grown_and_clipped_to_the_frame() -> None:
    roi = Roi("A", 640, 128, 768, 256)
    win = roi.grown(1.0, 768, 576)
    assert win.box == (512, 0, 768, 384) and roi.within(win) == (128, 128, 256, 256)
    det = SessionDetector.watching(roi, (768, 576), preset("pedestrian"))
    assert det.person is not None and det.person.shape == (384, 256)
    assert (
        SessionDetector.watching(roi, (768, 576), preset("pedestrian", person=False)).person is None
    )


@pytest.mark.skipif(not LABELS.is_file(), reason=f"no vtest labels at {LABELS} (evaluation data)")
def test_the_person_evidence_is_what_lifts_the_walkway_preset() -> None:
    """On the labelled clip, the pedestrian preset with the person share beats the same
    thresholds on the thumbnail alone (their choice is benchmarks/kiosk_folds.py's)."""
    assert VTEST.is_file(), NO_VTEST
    rois, label_frames = ev.load_labels(LABELS)
    truth = ev.truth_sessions(label_frames, 7.0)
    frames = list(ev.luma_frames(VTEST))
    f1 = {}
    for person in (True, False):
        found, n = ev.detect(frames, rois, 7.0, preset("pedestrian", person=person), frames[::7])
        f1[person] = ev.score(truth, found, hours=n / 7 / 3600 * len(rois)).f1["1s"]
    assert f1[True] >= 0.9 and f1[True] > f1[False] + 0.05, f1


def test_a_blob_smaller_than_a_person_for_this_roi_is_not_one() -> None:
    rng = np.random.default_rng(5)
    base = _background()
    ev = _evidence(base, rng)
    f = _frame(base, rng)
    f[90:98, 90:98] = 20  # 64 px: 1.6% of the 64x64 ROI
    assert ev.share(f) == 0.0 and ev.boxes == []
    f[90:102, 90:106] = 20  # 192 px, 4.7%: a person here (2% is the bar)
    assert ev.share(f) == 1.0
