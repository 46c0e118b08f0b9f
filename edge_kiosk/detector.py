"""Service-session detection in one region of interest (ROI) of the kiosk's camera.

Each frame's ROI is compared with an **empty-scene reference**:

- a graded thumbnail distance: the ROI's 16x16 box means, brightness-normalised (mean and
  spread removed, so a camera's gain or exposure step moves nothing), compared cell by cell
  with the reference's; each cell contributes ``min(|difference| / cell_scale, 1)`` and the
  distance is the mean, so a person covering a tenth of the ROI scores about 0.1;
- the perceptual hash (pHash) distance in bits over 64, which gain does not move either;
- the score is their weighted sum;
- with ``person`` on and a window around the ROI given, the score is the larger of that and
  the **person share** (edge_kiosk.person): the share of a moving person's bounding box that
  lies in the ROI, the labels' own 30% rule. Both are shares on the same 0-1 scale, so the
  one ``enter``/``exit`` pair applies to either: the thumbnail sees a person standing still
  that the background model may have learnt, the person share sees a person mostly outside
  the ROI as small and one mostly inside as large, whatever their size in the picture.

A camera's auto-exposure is linear only until pixels clip: a gain step of x1.4 on a bright
scene saturates highlights, and clipped cells no longer match the reference after
normalisation (on vtest.avi that alone cost up to 0.25 F1). So the detector also estimates
the frame's **exposure relative to the reference** (the median ratio of unclipped cells),
predicts how the reference would look at that exposure with the sensor's clipping (each
cell's pixel quantiles, kept with the reference), and compares the frame with that
prediction; and it blends quiet frames into the reference divided by that exposure, so the
reference stays one consistent exposure.

A frame is *busy* when its score is above ``enter`` and *quiet* below ``exit`` (hysteresis).
A session starts after ``enter_s`` of busy frames and ends after ``exit_s`` of quiet ones;
both are dated back to the first frame of the run that confirmed them. The reference follows
slow lighting changes by blending in quiet frames, only while no session is open, so a
customer standing still is never learned into it. A scene that stays static while a session
is open for ``absorb_s`` (a moved chair, a ghost left by a wrong reference) is adopted as the
new reference and the session ends where the scene froze.

Pure: frames in (a ROI array and its time), events out; no clock, no IO.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from edge_kiosk.hashes import GRID, Grid, Luma, RoiHasher, hamming
from edge_kiosk.person import PersonEvidence
from edge_kiosk.roi import Roi

Thumb = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DetectorParams:
    """The detector's tuning; every field is checked by :meth:`check`."""

    # Defaults: the cash desk (PRESETS["counter"]); tuned on the vtest dev labels and the
    # counter-like sequences (benchmarks/kiosk_goals.py).
    enter: float = 0.15  # score above which a frame is busy
    exit: float = 0.12  # score below which a frame is quiet
    enter_s: float = 2.5  # busy time that confirms a start (longer than a headlight sweep)
    exit_s: float = 0.7  # quiet time that confirms an end
    hash_weight: float = 0.0  # share of the pHash distance in the score (0.1: F1 -0.01..0.02)
    cell_scale: float = 1.0  # normalised cell difference that counts fully
    ref_alpha: float = 0.05  # blend of a quiet frame into the reference, per frame
    absorb_s: float = 60.0  # a static scene in an open session this long becomes the reference
    static_level: float = 0.02  # frame-to-frame thumbnail change below which the scene is static
    thumb: int = 16
    highpass_cells: float = 0.0  # remove light smoother than this many cells (0: off)
    person: bool = True  # add the person share (edge_kiosk.person) where a window is given
    person_margin: float = 1.0  # the person window: the ROI grown by this many ROI sizes
    person_min_share: float = 0.02  # a blob under this share of the ROI's area is no person

    def check(self) -> None:
        """Raise ValueError naming the first bad field."""
        for name in ("enter", "exit", "cell_scale", "static_level"):
            if not 0.0 < getattr(self, name) <= 10.0:
                raise ValueError(f"detector.{name} must be in (0, 10], got {getattr(self, name)}")
        if self.exit > self.enter:
            raise ValueError(f"detector.exit ({self.exit}) must not exceed enter ({self.enter})")
        for name in ("enter_s", "exit_s"):
            if not 0.0 <= getattr(self, name) <= 60.0:
                raise ValueError(f"detector.{name} must be 0-60 s, got {getattr(self, name)}")
        if not 0.0 <= self.hash_weight <= 1.0:
            raise ValueError(f"detector.hash_weight must be 0-1, got {self.hash_weight}")
        if not 0.0 <= self.ref_alpha <= 1.0:
            raise ValueError(f"detector.ref_alpha must be 0-1, got {self.ref_alpha}")
        if not 1.0 <= self.absorb_s <= 86400.0:
            raise ValueError(f"detector.absorb_s must be 1-86400 s, got {self.absorb_s}")
        if not 0.0 < self.person_min_share <= 0.5:
            raise ValueError(
                f"detector.person_min_share must be in (0, 0.5], got {self.person_min_share}"
            )
        if not 0.0 <= self.person_margin <= 4.0:
            raise ValueError(f"detector.person_margin must be 0-4, got {self.person_margin}")
        if self.thumb not in (4, 8, 16, 32):
            raise ValueError(f"detector.thumb must be 4, 8, 16 or 32, got {self.thumb}")


# Named parameter sets: a cash desk, where a customer stays for a while and headlights or a
# door's reflection sweep through in a second or two; and a walkway (the vtest clip), where a
# passer-by may cross a region in half a second. The walkway's thresholds are the labels' 30%
# rule, and what leave-one-ROI-out chooses on every fold (benchmarks/kiosk_folds.py).
PRESETS: dict[str, dict[str, float]] = {
    "counter": {},
    "pedestrian": {"enter": 0.3, "exit": 0.3, "enter_s": 0.15},
}


def preset(name: str, **overrides: float) -> DetectorParams:
    """The named parameter set with ``overrides``; ValueError naming an unknown one."""
    if name not in PRESETS:
        raise ValueError(f"detector preset must be one of {', '.join(PRESETS)}, got {name!r}")
    params = DetectorParams(**{**PRESETS[name], **overrides})  # type: ignore[arg-type]
    params.check()
    return params


@dataclass(frozen=True)
class SessionEvent:
    """A session boundary: ``kind`` is ``start`` or ``end``, ``t`` when it happened (the
    first frame of the run that confirmed it), ``at`` the frame time it was decided."""

    kind: str
    t: float
    at: float


QUANTILES = 8  # pixel quantiles per thumbnail cell kept with the reference
SATURATED = 250.0  # an 8-bit level at or above which a sensor's pixel is taken as clipped
LINEAR = 230.0  # a cell mean below this is taken as unclipped when estimating exposure
# At or below this exposure the frame clips (almost) no more than the reference did, so the
# cached reference stands: what clipped is in both, and a lower gain clips nothing new.
NO_NEW_CLIPPING = 1.03
BRIGHT = 200.0  # a frame whose brightest cell is below this clips too little to predict


def cell_profile(roi: Luma, cells: int) -> Thumb:
    """Each thumbnail cell's pixel quantiles (at the middles of ``QUANTILES`` equal shares)
    divided by the cell's mean: the shape of its brightness, which says how much of it clips
    when the exposure rises. ``cells`` x ``cells`` x ``QUANTILES``."""
    h, w = roi.shape
    per_cell = (
        roi.reshape(cells, h // cells, cells, w // cells)
        .transpose(0, 2, 1, 3)
        .reshape(cells, cells, -1)
        .astype(np.float64)
    )
    shares = (np.arange(QUANTILES) + 0.5) / QUANTILES * 100.0
    q = np.moveaxis(np.percentile(per_cell, shares, axis=-1), 0, -1)
    return np.asarray(q / np.maximum(per_cell.mean(axis=-1), 1.0)[..., None])


def normalise(thumb: Thumb, highpass_cells: float = 0.0) -> Thumb:
    """Remove the mean and spread: what is left does not move with gain or exposure. With
    ``highpass_cells``, also the smooth part (a Gaussian blur of that width, in cells): a
    broad light such as headlights through a window moves little of what is left."""
    if highpass_cells > 0:
        thumb = thumb - cv2.GaussianBlur(thumb, (0, 0), highpass_cells)
    centred = thumb - thumb.mean()
    return np.asarray(centred / max(float(centred.std()), 2.0))


@dataclass
class _Run:
    since: float | None = None

    def update(self, on: bool, t: float) -> float | None:
        """Track a run of ``on`` frames; return when it began (None when off)."""
        if not on:
            self.since = None
        elif self.since is None:
            self.since = t
        return self.since


@dataclass
class Hysteresis:
    """Sessions from a per-frame score: busy above ``enter`` for ``enter_s`` starts one, quiet
    below ``exit`` for ``exit_s`` ends it; each dated to the start of its run. Shared by the
    detector and by the peers it is measured against (benchmarks/kiosk_goals.py)."""

    params: DetectorParams
    in_session: bool = False
    quiet: bool = False  # this frame was below ``exit``
    _busy: _Run = field(default_factory=_Run)
    _quiet: _Run = field(default_factory=_Run)

    def update(self, score: float, t: float) -> Iterator[SessionEvent]:
        p = self.params
        busy_since = self._busy.update(score > p.enter, t)
        quiet_since = self._quiet.update(score < p.exit, t)
        self.quiet = quiet_since is not None
        if not self.in_session and busy_since is not None and t - busy_since >= p.enter_s:
            self.in_session = True
            yield SessionEvent("start", busy_since, t)
        elif self.in_session and quiet_since is not None and t - quiet_since >= p.exit_s:
            self.in_session = False
            yield SessionEvent("end", quiet_since, t)

    def force_end(self, since: float, t: float) -> Iterator[SessionEvent]:
        """End an open session at ``since`` (decided at ``t``)."""
        if self.in_session:
            self.in_session = False
            self._busy.since = None
            yield SessionEvent("end", since, t)


@dataclass
class SessionDetector:
    """One ROI's detector. Feed it frames in time order with :meth:`feed`."""

    height: int
    width: int
    params: DetectorParams = field(default_factory=DetectorParams)

    # The person evidence and the window it looks through (see :meth:`watching`).
    person: PersonEvidence | None = None
    roi: Roi | None = None
    window: Roi | None = None

    @classmethod
    def watching(
        cls, roi: Roi, frame_size: tuple[int, int], params: DetectorParams | None = None
    ) -> "SessionDetector":
        """The detector of ``roi`` in frames of ``frame_size`` (width, height), fed whole
        frames with :meth:`feed_frame`; with ``params.person``, its person evidence looks
        through the ROI grown by ``params.person_margin``."""
        params = params or DetectorParams()
        det = cls(*roi.shape, params, roi=roi)
        if params.person:
            det.window = roi.grown(params.person_margin, *frame_size)
            det.person = PersonEvidence(
                det.window.shape, roi.within(det.window), min_share=params.person_min_share
            )
        return det

    def __post_init__(self) -> None:
        self.params.check()
        self.hasher = RoiHasher(self.height, self.width, self.params.thumb)
        self.ref_grid: Grid | None = None
        self.ref_raw: Thumb | None = None  # the reference's thumbnail, not normalised
        self.ref_thumb: Thumb | None = None
        self.ref_hash: npt.NDArray[np.bool_] | None = None
        # Each reference cell's brightness shape (cell_profile); flat until pixels are seen.
        self.ref_profile: Thumb = np.ones((self.params.thumb, self.params.thumb, QUANTILES))
        self.exposure = 1.0  # the last frame's exposure relative to the reference
        self._exposure_due = False  # the last frame's exposure is not estimated yet
        self.state = Hysteresis(self.params)
        self.score = 0.0
        self._static = _Run()
        self._last_thumb: Thumb | None = None

    def set_reference(self, roi: Luma) -> None:
        """Use ``roi`` (an empty scene) as the empty reference."""
        self.ref_grid = self.hasher.grid(roi)
        self.ref_profile = cell_profile(roi, self.params.thumb)
        self._refresh_reference()

    def learn(self, rois: list[Luma]) -> None:
        """Learn the empty reference as the per-cell median of ROIs sampled over a while:
        people passing through occupy each cell for less than half of it. The kiosk does
        this when it has no saved reference; ``kiosk eval`` does it over the clip."""
        if not rois:
            raise ValueError("learning the reference needs at least one frame")
        self.ref_grid = np.median(np.stack([self.hasher.grid(r) for r in rois]), axis=0)
        cells = self.params.thumb
        self.ref_profile = np.median(np.stack([cell_profile(r, cells) for r in rois]), axis=0)
        self._refresh_reference()

    def learn_frames(self, frames: list[Luma]) -> None:
        """:meth:`learn` from whole frames (a detector made by :meth:`watching`), and the
        person evidence's empty scene from the same frames."""
        assert self.roi is not None, "learn_frames needs a detector made by watching()"
        self.learn([self.roi.cut(f) for f in frames])
        if self.person is not None and self.window is not None:
            self.person.learn([self.window.cut(f) for f in frames])

    def feed_frame(self, frame: Luma, t: float) -> Iterator[SessionEvent]:
        """:meth:`feed` with the ROI and its window cut from the whole ``frame``."""
        assert self.roi is not None, "feed_frame needs a detector made by watching()"
        window = self.window.cut(frame) if self.window is not None else None
        return self.feed(self.roi.cut(frame), t, window)

    def _refresh_reference(self) -> None:
        assert self.ref_grid is not None
        self.ref_raw = self.hasher.thumbnail_of(self.ref_grid)
        self.ref_thumb = normalise(self.ref_raw, self.params.highpass_cells)
        self._ref_peak = float((self.ref_raw[..., None] * self.ref_profile).max())
        self.ref_hash = self.hasher.perceptual_of(self.ref_grid)

    def _reference_at(self, exposure: float) -> Thumb:
        """The reference's thumbnail as the camera would show it at ``exposure``: each
        cell's pixel quantiles scaled, clipped at 255, averaged."""
        assert self.ref_raw is not None
        scaled = exposure * self.ref_raw[..., None] * self.ref_profile
        return np.asarray(np.minimum(scaled, 255.0).mean(axis=-1))

    def _ratio(self, raw: Thumb, expected: Thumb) -> float | None:
        """The median ratio of ``raw`` to ``expected`` over cells that clip in neither
        (a customer covers less than half of them); None when too few are left."""
        linear = (raw < LINEAR) & (expected < LINEAR)
        if np.count_nonzero(linear) < 16:
            return None
        return float(np.median(raw[linear] / np.maximum(expected[linear], 1.0)))

    def _expected(self, raw: Thumb) -> Thumb:
        """The normalised reference to compare a frame's thumbnail ``raw`` with. Without
        clipping that is the cached reference (gain and offset are normalised away); with
        it, the reference clipped as the frame is, at the frame's :attr:`exposure`."""
        assert self.ref_raw is not None and self.ref_thumb is not None
        self._exposure_due = raw.max() < BRIGHT
        if self._exposure_due:
            return self.ref_thumb  # no cell near the top: the exposure only when blending
        expected = self.ref_raw
        exposure = 1.0
        for _ in range(3):  # each pass: the ratio on cells that did not clip, as predicted
            ratio = self._ratio(raw, expected)
            if ratio is None:
                break
            exposure *= ratio
            if exposure <= NO_NEW_CLIPPING or exposure * self._ref_peak < SATURATED:
                self.exposure = exposure
                return self.ref_thumb  # nothing clips at this exposure that did not before
            expected = self._reference_at(exposure)
        self.exposure = exposure
        return normalise(self._reference_at(exposure), self.params.highpass_cells)

    def score_of(self, grid: Grid) -> tuple[float, Thumb]:
        """The frame's distance from the empty reference, and its normalised thumbnail."""
        assert self.ref_hash is not None
        p = self.params
        raw = self.hasher.thumbnail_of(grid)
        thumb = normalise(raw, p.highpass_cells)
        diff = np.minimum(np.abs(thumb - self._expected(raw)) / p.cell_scale, 1.0)
        # A clipped cell (the sensor saturated, or black) says nothing about what is there.
        if grid.max() < 250 and grid.min() > 3:  # the usual case: nothing clipped
            graded = float(diff.mean())
        else:
            k = grid.shape[0] // p.thumb
            blocks = grid.reshape(p.thumb, k, p.thumb, k)
            clipped = (blocks.max(axis=(1, 3)) >= 250) | (blocks.min(axis=(1, 3)) <= 3)
            graded = float(diff[~clipped].mean()) if not clipped.all() else 0.0
        if p.hash_weight:
            bits = hamming(self.hasher.perceptual_of(grid), self.ref_hash) / 64
            return (1 - p.hash_weight) * graded + p.hash_weight * bits, thumb
        return graded, thumb

    @property
    def in_session(self) -> bool:
        return self.state.in_session

    def feed(self, roi: Luma, t: float, window: Luma | None = None) -> Iterator[SessionEvent]:
        """Take the ROI of the frame at time ``t`` (seconds), and with person evidence the
        window around it; yield the boundaries it decides."""
        grid = self.hasher.grid(roi)
        if self.ref_grid is None:
            self.set_reference(roi)  # no reference yet: the first frame is taken as empty
        p = self.params
        self.score, thumb = self.score_of(grid)
        if self.person is not None and window is not None:
            # the background model learns only while no session is open, as the reference
            share = self.person.share(window, learn=not self.state.in_session)
            self.score = max(self.score, share)
        yield from self.state.update(self.score, t)
        moving = 1.0
        if self._last_thumb is not None:
            moving = float(np.abs(thumb - self._last_thumb).mean())
        self._last_thumb = thumb
        static_since = self._static.update(moving < p.static_level, t)
        if not self.state.in_session:
            if self.state.quiet:  # follow slow light changes, never a customer
                self._blend(grid)
        elif static_since is not None and t - static_since >= p.absorb_s:
            self.set_reference(roi)  # the scene changed for good (or the reference was wrong)
            if self.person is not None and window is not None:
                self.person.reset(window)
            yield from self.state.force_end(static_since, t)

    def _blend(self, grid: Grid) -> None:
        """Blend a quiet frame into the reference at the reference's own exposure; cells
        that clipped keep the reference's value (the frame says too little about them)."""
        assert self.ref_grid is not None and self.ref_raw is not None
        k = GRID // self.params.thumb
        raw = self.hasher.thumbnail_of(grid)
        if self._exposure_due:
            self.exposure = self._ratio(raw, self.ref_raw) or self.exposure
        unclipped = raw < LINEAR
        unclipped_grid = np.repeat(np.repeat(unclipped, k, axis=0), k, axis=1)
        target = np.where(unclipped_grid, grid / max(self.exposure, 1e-3), self.ref_grid)
        self.ref_grid += self.params.ref_alpha * (target - self.ref_grid)
        self._refresh_reference()

    def finish(self, t: float) -> Iterator[SessionEvent]:
        """The source ended at ``t``: close an open session there."""
        yield from self.state.force_end(t, t)
