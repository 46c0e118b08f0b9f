"""Person evidence for one region of interest (ROI): how much of a moving person lies in it.

The session labels count a person as *in* a ROI when at least 30% of their bounding box lies
inside it. A distance between the ROI and an empty reference cannot apply that rule: it sees
the pixels inside the ROI and not how large the person is. This module looks at a **window**
around the ROI (the ROI grown on every side, so a person mostly outside it is seen whole):

1. the window, halved (``scale``), is divided by the camera's **gain** relative to the
   empty reference (the median ratio of pixels that clip in neither), so an auto-exposure
   step is not taken for a crowd; pixels the sensor clipped count as background;
2. OpenCV's Gaussian-mixture background subtractor (MOG2, shadows told apart and dropped)
   gives the moving pixels; a small opening removes noise and a tall closing joins a body's
   parts (head, torso, legs) into one blob;
3. blobs smaller than ``min_share`` of the ROI's area are dropped (a ROI is drawn around
   where one person stands: it sets the scale of a person), and each blob left is a person,
   its bounding box theirs; the **share** is the largest fraction of such a box inside the
   ROI: 0.3 is the labels' own rule.

The background model learns only while the ROI's session is closed (``learn=False`` while it
is open), so a customer standing still is not absorbed into it, as the detector's reference
is not. Pure: windows in, a share out; no clock, no IO.
"""

from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from edge_kiosk.hashes import Luma

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 inside the window, end exclusive

CLIP_HIGH = 245  # a pixel at or above this may have clipped: not used to estimate the gain
CLIP_LOW = 10  # at or below this the sensor's noise floor: not used either
SATURATED = 250  # an 8-bit level taken as clipped: no evidence either way
MIN_PIXELS = 100  # fewer unclipped pixels than this: the gain is not re-estimated
# Frames of the empty scene a new model sees: for its first few frames MOG2 calls most of a
# dark person on a grey scene a shadow (measured with OpenCV 5.0); after five it does not.
SETTLE = 5


@dataclass
class PersonEvidence:
    """One ROI's person evidence. ``shape``: the window's (h, w) in pixels; ``inner``: the
    ROI's box inside it."""

    shape: tuple[int, int]
    inner: Box
    scale: int = 2  # the window is reduced by this much first (people are tens of pixels)
    min_share: float = 0.02  # of the ROI's area: a smaller blob is noise, not a person
    var_threshold: float = 16.0  # MOG2's squared Mahalanobis distance for foreground
    history: int = 500  # MOG2's history in frames while it learns
    gain: float = 1.0  # the last window's gain relative to the reference
    boxes: list[Box] = field(default_factory=list)  # the last window's blobs, reduced scale

    def __post_init__(self) -> None:
        h, w = self.shape
        x0, y0, x1, y1 = self.inner
        if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
            raise ValueError(f"the ROI {self.inner} does not lie inside a {w}x{h} window")
        if self.scale not in (1, 2, 4):
            raise ValueError(f"person evidence scale must be 1, 2 or 4, got {self.scale}")
        self._size = (w // self.scale, h // self.scale)
        self._open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        self._close = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 9))  # tall: a body
        self._box = tuple(v / self.scale for v in self.inner)
        self._ref: npt.NDArray[np.float32] | None = None
        self._mog: cv2.BackgroundSubtractorMOG2 | None = None

    def _reduce(self, window: Luma) -> Luma:
        if window.shape != self.shape:
            raise ValueError(f"window of shape {window.shape}, expected {self.shape}")
        if self.scale == 1:
            return window
        return np.asarray(cv2.resize(window, self._size, interpolation=cv2.INTER_AREA), np.uint8)

    def learn(self, windows: list[Luma]) -> None:
        """Start from an empty scene: the per-pixel median of windows sampled over a while
        (people passing through cover each pixel for less than half of it)."""
        if not windows:
            raise ValueError("learning the background needs at least one window")
        median = np.median(np.stack([self._reduce(w) for w in windows]), axis=0)
        self.reset(median.astype(np.uint8), reduced=True)

    def reset(self, window: Luma, reduced: bool = False) -> None:
        """Take ``window`` as the empty scene (a new model, gain 1)."""
        empty = window if reduced else self._reduce(window)
        self._ref = empty.astype(np.float32)
        self._mog = cv2.createBackgroundSubtractorMOG2(
            history=self.history, varThreshold=self.var_threshold, detectShadows=True
        )
        self._mog.apply(empty, learningRate=1.0)
        for _ in range(SETTLE):
            self._mog.apply(empty)
        self.gain = 1.0

    def share(self, window: Luma, learn: bool = True) -> float:
        """The largest share (0-1) of a moving blob's bounding box that lies in the ROI;
        the model learns from this window only when ``learn``."""
        if self._mog is None or self._ref is None:
            self.reset(window)
        assert self._mog is not None and self._ref is not None
        small = self._reduce(window)
        level = small.astype(np.float32)
        usable = (
            (small < CLIP_HIGH)
            & (small > CLIP_LOW)
            & (self._ref < CLIP_HIGH / 1.5)
            & (self._ref > CLIP_LOW)
        )
        if np.count_nonzero(usable) >= MIN_PIXELS:
            self.gain = max(float(np.median(level[usable] / self._ref[usable])), 1e-3)
        clipped = (small >= SATURATED) | (self._ref * self.gain >= SATURATED)
        steady = np.clip(level / self.gain, 0, 255).astype(np.uint8)
        # a fixed rate: MOG2's own starts fast (1/2n at frame n) and would learn a person
        # standing there while the model is young
        rate = 1.0 / self.history if learn else 0.0
        moving = (self._mog.apply(steady, learningRate=rate) == 255).astype(np.uint8)
        moving[clipped] = 0
        moving = cv2.morphologyEx(moving, cv2.MORPH_OPEN, self._open)
        moving = cv2.morphologyEx(moving, cv2.MORPH_CLOSE, self._close)
        count, _, stats, _ = cv2.connectedComponentsWithStats(moving, connectivity=8)
        w, h = (b - a for a, b in zip(self.inner[:2], self.inner[2:], strict=True))
        least = self.min_share * w * h / self.scale**2
        self.boxes = [
            (int(x), int(y), int(x + w), int(y + h))
            for x, y, w, h, area in stats[1:count]
            if area >= least
        ]
        x0, y0, x1, y1 = self._box
        best = 0.0
        for bx0, by0, bx1, by1 in self.boxes:
            ix = min(x1, bx1) - max(x0, bx0)
            iy = min(y1, by1) - max(y0, by0)
            if ix > 0 and iy > 0:
                best = max(best, ix * iy / ((bx1 - bx0) * (by1 - by0)))
        return best
