"""Scoring the session detector against labelled video (``crmsensor kiosk eval``).

Labels are a CSV, one row per session: ``roi,x0,y0,x1,y1,start_frame,end_frame`` (end
exclusive, frame indices from 0 as decoded), as in ../shared/data/kiosk/; a row with both
frames empty declares a ROI that has no sessions (empty footage). Scores, pooled over
every ROI:

- **boundary F1** within a tolerance: starts matched one-to-one to starts and ends to ends
  (the assignment that matches the most, then the closest), F1 = 2 TP / (2 TP + FP + FN) over
  all boundaries;
- **count error**: |detected sessions - true sessions| / true sessions;
- **service-time error**: mean |duration error| over sessions paired one-to-one by overlap;
- **false sessions per hour**: detected sessions that overlap no true session, per hour of
  footage (of every ROI).
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from crmsensor.errors import UserError
from edge_kiosk.detector import DetectorParams, SessionDetector
from edge_kiosk.hashes import GRID, Luma
from edge_kiosk.perturbation import perturb
from edge_kiosk.roi import Roi
from edge_kiosk.sources import VideoFileSource


class LabelError(UserError, ValueError):
    """A label file that cannot be used; the message names the row and the problem."""


def _check_inside(rois: Iterable[Roi], frame_shape: tuple[int, ...]) -> None:
    h, w = frame_shape[:2]
    for r in rois:
        if not r.fits(w, h):
            raise LabelError(
                f"ROI {r.name} ({r.x0},{r.y0})-({r.x1},{r.y1}) is outside the {w}x{h} frame"
            )


@dataclass(frozen=True)
class Session:
    start: float  # seconds
    end: float  # seconds, exclusive

    @property
    def duration(self) -> float:
        return self.end - self.start


def load_labels(path: Path) -> tuple[dict[str, Roi], dict[str, list[tuple[int, int]]]]:
    """ROIs by name and each ROI's sessions as (start_frame, end_frame)."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise LabelError(f"cannot read labels {path}: {exc.strerror}") from None
    rows = list(csv.reader(text.splitlines()))
    want = ["roi", "x0", "y0", "x1", "y1", "start_frame", "end_frame"]
    if not rows or [c.strip() for c in rows[0]] != want:
        raise LabelError(f"{path}: the header must be {','.join(want)}")
    rois: dict[str, Roi] = {}
    sessions: dict[str, list[tuple[int, int]]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(want):
            raise LabelError(f"{path}:{n}: {len(row)} fields, expected {len(want)}")
        no_session = row[5].strip() == "" and row[6].strip() == ""  # a ROI with no sessions
        try:
            x0, y0, x1, y1, start, end = (
                int(v) for v in [*row[1:5], *(["0", "1"] if no_session else row[5:])]
            )
        except ValueError:
            raise LabelError(f"{path}:{n}: coordinates and frames must be whole numbers") from None
        roi = Roi(row[0].strip(), x0, y0, x1, y1)
        if roi.name in rois and rois[roi.name] != roi:
            raise LabelError(f"{path}:{n}: ROI {roi.name} has other coordinates above")
        h, w = roi.shape
        if h <= 0 or w <= 0 or h % GRID or w % GRID:
            raise LabelError(f"{path}:{n}: ROI {roi.name} must be a multiple of 32 px each way")
        if not 0 <= start < end:
            raise LabelError(f"{path}:{n}: start_frame must be >= 0 and before end_frame")
        rois[roi.name] = roi
        sessions.setdefault(roi.name, [])
        if not no_session:
            sessions[roi.name].append((start, end))
    if not rois:
        raise LabelError(f"{path}: no ROIs")
    return rois, sessions


def detect(
    frames: Iterable[Luma],
    rois: dict[str, Roi],
    fps: float,
    params: DetectorParams,
    prime: Sequence[Luma] = (),
) -> tuple[dict[str, list[Session]], int]:
    """Replay frames through one detector per ROI; the sessions found and the frame count.
    ``prime``: frames to learn each ROI's empty reference from (else the first frame)."""
    detectors: dict[str, SessionDetector] = {}

    def start(shape: tuple[int, ...]) -> None:
        _check_inside(rois.values(), shape)
        size = (shape[1], shape[0])
        detectors.update({n: SessionDetector.watching(r, size, params) for n, r in rois.items()})

    if prime:
        start(prime[0].shape)
        for det in detectors.values():
            det.learn_frames(list(prime))
    open_at: dict[str, float] = {}
    found: dict[str, list[Session]] = {name: [] for name in rois}
    n = 0
    for n, frame in enumerate(frames, start=1):
        if n == 1 and not detectors:
            start(frame.shape)
        t = (n - 1) / fps
        for name, det in detectors.items():
            for ev in det.feed_frame(frame, t):
                _collect(ev.kind, ev.t, name, open_at, found)
    for name, det in detectors.items():
        for ev in det.finish(n / fps):
            _collect(ev.kind, ev.t, name, open_at, found)
    return found, n


def _collect(
    kind: str, t: float, name: str, open_at: dict[str, float], found: dict[str, list[Session]]
) -> None:
    if kind == "start":
        open_at[name] = t
    else:
        found[name].append(Session(open_at.pop(name), t))


def _matched(truth: Sequence[float], found: Sequence[float], tol: float) -> int:
    """How many of ``found`` pair one-to-one with ``truth`` within ``tol``."""
    if not truth or not found:
        return 0
    gap = np.abs(np.subtract.outer(np.asarray(truth), np.asarray(found)))
    cost = np.where(gap <= tol, gap / (tol + 1e-9) - 1.0, 0.0)  # any match beats none
    rows, cols = linear_sum_assignment(cost)
    return int(np.count_nonzero(gap[rows, cols] <= tol))


def _overlap(a: Session, b: Session) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


@dataclass(frozen=True)
class Scores:
    f1: dict[str, float]  # tolerance label -> boundary F1
    true_sessions: int
    found_sessions: int
    count_error: float
    service_time_mae_s: float
    false_per_hour: float
    hours: float

    def as_dict(self) -> dict[str, object]:
        return {
            "f1": self.f1,
            "true_sessions": self.true_sessions,
            "found_sessions": self.found_sessions,
            "count_error": self.count_error,
            "service_time_mae_s": self.service_time_mae_s,
            "false_sessions_per_hour": self.false_per_hour,
            "hours": self.hours,
        }


def score(
    truth: dict[str, list[Session]],
    found: dict[str, list[Session]],
    hours: float,
    tolerances: Sequence[float] = (1.0, 2.0),
) -> Scores:
    """Boundary F1 per tolerance (seconds) and the session figures, pooled over ROIs."""
    n_true = sum(len(v) for v in truth.values())
    n_found = sum(len(v) for v in found.values())
    f1 = {}
    for tol in tolerances:
        tp = 0
        for name in truth.keys() | found.keys():
            t, f = truth.get(name, []), found.get(name, [])
            tp += _matched([s.start for s in t], [s.start for s in f], tol)
            tp += _matched([s.end for s in t], [s.end for s in f], tol)
        denom = 2 * n_true + 2 * n_found
        f1[f"{tol:g}s"] = 2 * tp / denom if denom else 1.0
    errors: list[float] = []
    false = 0
    for name in truth.keys() | found.keys():
        t, f = truth.get(name, []), found.get(name, [])
        if t and f:
            ov = np.array([[_overlap(a, b) for b in f] for a in t])
            rows, cols = linear_sum_assignment(-ov)
            errors += [
                abs(t[r].duration - f[c].duration)
                for r, c in zip(rows, cols, strict=True)
                if ov[r, c] > 0
            ]
        false += sum(1 for b in f if not any(_overlap(a, b) > 0 for a in t))
    return Scores(
        f1=f1,
        true_sessions=n_true,
        found_sessions=n_found,
        count_error=abs(n_found - n_true) / n_true if n_true else float(n_found > 0),
        service_time_mae_s=float(np.mean(errors)) if errors else 0.0,
        false_per_hour=false / hours if hours > 0 else 0.0,
        hours=hours,
    )


def truth_sessions(
    frames: dict[str, list[tuple[int, int]]], fps: float
) -> dict[str, list[Session]]:
    """Label frames to seconds."""
    return {name: [Session(a / fps, b / fps) for a, b in v] for name, v in frames.items()}


def luma_frames(path: Path) -> Iterator[Luma]:
    """A video file's frames as luma (OpenCV decodes; BGR to Y with BT.601 weights)."""
    yield from VideoFileSource(path, realtime=False).frames()


def evaluate_video(
    video: Path,
    labels: Path,
    fps: float | None = None,
    prime: bool = True,
    perturbation: str = "none",
    params: DetectorParams | None = None,
    perturb_seed: int = 1,
) -> dict[str, Any]:
    """What ``crmsensor kiosk eval --json`` prints: the detector replayed over a labelled
    video (decoded once, kept in memory as luma), its sessions and scores."""
    rois, label_frames = load_labels(labels)
    source = VideoFileSource(video, fps=fps, realtime=False)
    rate = source.fps
    frames = list(source.frames())
    if not frames:
        raise ValueError(f"{video}: no frames decoded")
    primer = frames[:: max(1, round(rate))] if prime else []
    found, n = detect(
        perturb(frames, rate, perturbation, perturb_seed),
        rois,
        rate,
        params or DetectorParams(),
        primer,
    )
    truth = truth_sessions(label_frames, rate)
    scores = score(truth, found, hours=n / rate / 3600 * len(rois))
    return {
        "video": str(video),
        "frames": n,
        "fps": rate,
        "prime": prime,
        "perturbation": perturbation,
        "perturb_seed": perturb_seed,
        "rois": {name: [r.x0, r.y0, r.x1, r.y1] for name, r in rois.items()},
        "scores": scores.as_dict(),
        "sessions": {
            name: [[round(s.start * rate), round(s.end * rate)] for s in v]
            for name, v in found.items()
        },
    }
