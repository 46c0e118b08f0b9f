"""Perceptual hashes and thumbnails of a region of interest, straight from the luma plane.

Everything starts from one **grid**: the ROI's 32x32 box means (OpenCV's INTER_AREA, an exact
block mean for ROIs that are multiples of 32 px, rounded to 8 bits as Pillow rounds), made
once per frame. From the grid:

- **average hash** (aHash): 8x8 box means, each above the mean of the 64;
- **difference hash** (dHash): 9 wide x 8 high box means, each above its left neighbour (made
  from the pixels, not the grid: 9 columns do not divide 32);
- **perceptual hash** (pHash): the 8x8 lowest frequencies of the DCT-II (unnormalised, as
  ``scipy.fftpack.dct``) of the grid, each above their median;
- **thumbnail**: ``thumb`` x ``thumb`` box means (the detector's graded distance).

The bits agree with imagehash's on the same ROI when imagehash resamples with BOX
(tests/test_kiosk_hashes.py measures it on real frames): all but a value sitting on its
threshold, where Pillow's fixed-point arithmetic and ours can round apart.
Shapes: a ROI is ``(h, w)`` uint8 with h and w multiples of 32; hashes are 64 bools, flattened
row by row as imagehash does.
"""

from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
import numpy.typing as npt

Luma = npt.NDArray[np.uint8]
Grid = npt.NDArray[np.float64]
Bits = npt.NDArray[np.bool_]
HASH_SIZE = 8
GRID = 32


@cache
def box_matrix(n_in: int, n_out: int) -> npt.NDArray[np.float64]:
    """(n_out, n_in) weights of Pillow's BOX downsampling along one axis (its
    ``precompute_coeffs`` with the box filter): output x averages the inputs whose centres
    fall in the box of width n_in / n_out around (x + 0.5) * n_in / n_out."""
    scale = n_in / n_out
    m = np.zeros((n_out, n_in))
    for x in range(n_out):
        center = (x + 0.5) * scale
        lo = max(int(center - scale / 2 + 0.5), 0)
        hi = min(int(center + scale / 2 + 0.5), n_in)
        taps = np.arange(lo, hi)
        t = (taps - center + 0.5) / scale  # Pillow's box: 1 on (-0.5, 0.5]
        m[x, taps[(t > -0.5) & (t <= 0.5)]] = 1.0
        m[x] /= m[x].sum()
    m.setflags(write=False)
    return m


@cache
def dct_rows(n: int, k: int) -> npt.NDArray[np.float64]:
    """The first k rows of the unnormalised DCT-II matrix of size n (scipy.fftpack.dct)."""
    i = np.arange(n)
    m = 2 * np.cos(np.pi * np.arange(k)[:, None] * (2 * i[None, :] + 1) / (2 * n))
    m.setflags(write=False)
    return m


def _round8(x: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5)


@dataclass(frozen=True)
class RoiHasher:
    """Hashes and thumbnails of ROIs of one size."""

    height: int
    width: int
    thumb: int = 16  # thumbnail cells per side: a divisor of 32

    def __post_init__(self) -> None:
        for name in ("height", "width"):
            value = getattr(self, name)
            if value < GRID or value % GRID:
                raise ValueError(f"ROI {name} must be a positive multiple of 32 px, got {value}")
        if self.thumb not in (2, 4, 8, 16, 32):
            raise ValueError(f"thumbnail size must be 2, 4, 8, 16 or 32, got {self.thumb}")

    def _check(self, roi: Luma) -> None:
        if roi.shape != (self.height, self.width):
            raise ValueError(f"ROI is {roi.shape}, hasher expects {(self.height, self.width)}")

    def grid(self, roi: Luma) -> Grid:
        """The ROI's 32x32 box means, rounded to 8 bits: what every hash is made from."""
        self._check(roi)
        small = cv2.resize(roi, (GRID, GRID), interpolation=cv2.INTER_AREA)
        return np.asarray(small, dtype=np.float64)

    def average_of(self, grid: Grid) -> Bits:
        k = GRID // HASH_SIZE
        px = _round8(grid.reshape(HASH_SIZE, k, HASH_SIZE, k).mean(axis=(1, 3)))
        return np.asarray((px > px.mean()).ravel())

    def perceptual_of(self, grid: Grid) -> Bits:
        dct = dct_rows(GRID, HASH_SIZE)
        low = (dct @ grid @ dct.T).ravel()
        mid = np.partition(low, (31, 32))  # median of 64: the mean of the middle two
        return np.asarray(low > (mid[31] + mid[32]) / 2)

    def thumbnail_of(self, grid: Grid) -> Grid:
        """``thumb`` x ``thumb`` box means of the ROI (unrounded)."""
        k = GRID // self.thumb
        return np.asarray(grid.reshape(self.thumb, k, self.thumb, k).mean(axis=(1, 3)))

    def average(self, roi: Luma) -> Bits:
        return self.average_of(self.grid(roi))

    def perceptual(self, roi: Luma) -> Bits:
        return self.perceptual_of(self.grid(roi))

    def thumbnail(self, roi: Luma) -> Grid:
        return self.thumbnail_of(self.grid(roi))

    def difference(self, roi: Luma) -> Bits:
        """dHash from the pixels: 9 columns do not divide the grid's 32, so it is made as
        Pillow makes it, a horizontal box pass rounded, then a vertical one."""
        self._check(roi)
        cols = box_matrix(self.width, HASH_SIZE + 1).astype(np.float32)
        across = _round8(np.asarray(roi, dtype=np.float32) @ cols.T)
        px = _round8(box_matrix(self.height, HASH_SIZE) @ across)
        return np.asarray((px[:, 1:] > px[:, :-1]).ravel())


def hamming(a: Bits, b: Bits) -> int:
    """Bits that differ between two hashes."""
    return int(np.count_nonzero(a != b))
