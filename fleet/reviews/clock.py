"""A device's clock in the fleet's time: fitted from what it said and when it arrived.

A badge times its events with its own crystal (``t_ms``, milliseconds since boot) and a kiosk
with the clock of its frames (``t_s``); neither is the fleet's wall clock, and a crystal runs
up to ~50 ppm fast or slow, 0.18 s an hour. Every event with such a time also has the time the
fleet received it, which is its true time plus a delay that is never negative (the network,
the broker, a queue while offline). So the true line ``wall = a + b * t`` lies *under* every
point (t, received_at); :func:`fit` finds the lowest such line that touches the points from
below, by linear programming (minimise the total gap, subject to the line staying under every
point). This lower envelope is what clock synchronisation over one-way delays uses (Moon,
Skelly and Towsley, 1999); a least-squares line would sit a mean delay too late and be pulled
by the delays of events sent from an offline queue. Pure: numbers in, numbers out.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

MAX_SKEW = 500e-6  # a clock further off than 500 ppm is not a crystal: refuse the fit
JITTER_S = 5.0  # a crystal's line that leaves a point this late over a short span: a jump


class ClockError(ValueError):
    """No fit: too few points, or a clock that jumps or runs impossibly fast or slow."""


@dataclass(frozen=True)
class ClockFit:
    """``wall = offset + rate * (t - t0)`` for one boot of one device (seconds)."""

    t0: float
    offset: float
    rate: float
    points: int
    worst_gap_s: float  # the largest delay the fit leaves (a late point, e.g. queued)

    def wall(self, t: float) -> float:
        """The fleet's time of the device's clock reading ``t`` (seconds)."""
        return self.offset + self.rate * (t - self.t0)

    def device(self, wall: float) -> float:
        """The device's clock reading at the fleet's time ``wall``."""
        return self.t0 + (wall - self.offset) / self.rate

    @property
    def skew_ppm(self) -> float:
        """How fast the device's clock runs against the fleet's, in parts per million."""
        return (1 / self.rate - 1) * 1e6


def fit(device_s: Sequence[float], received_s: Sequence[float]) -> ClockFit:
    """The lower envelope of (device clock, receipt time) pairs, both in seconds. With one
    point the rate is taken as exact; :class:`ClockError` when there is none, or when the
    best line runs more than :data:`MAX_SKEW` off (a clock that jumped)."""
    t = np.asarray(device_s, dtype=float)
    r = np.asarray(received_s, dtype=float)
    if t.size == 0 or t.size != r.size:
        raise ClockError("no (device time, receipt time) pairs to fit")
    t0, r0 = float(t.min()), float(r.min())
    x, y = t - t0, r - r0  # small numbers: the program is well conditioned
    if t.size == 1 or float(np.ptp(x)) < 1.0:
        offset = float((y - x).min()) + r0  # rate 1: the earliest arrival bounds it
        return ClockFit(t0, offset, 1.0, int(t.size), float((y - x).max() - (y - x).min()))
    a, b = _envelope(x, y, 2 * MAX_SKEW)
    if abs(b - 1) > MAX_SKEW:
        # Too steep for a crystal. Over a short span a few jittered points tilt the line that
        # far; then a crystal's line lies under them all with small gaps. A clock that jumped
        # leaves a large one.
        a2, b2 = _envelope(x, y, MAX_SKEW)
        if float((y - (a2 + b2 * x)).max()) > JITTER_S:
            raise ClockError(
                f"the clock runs {(1 / b - 1) * 1e6:+.0f} ppm off: it jumped, not drifted"
            )
        a, b = a2, b2
    gaps = y - (a + b * x)
    return ClockFit(t0, a + r0, b, int(t.size), float(gaps.max()))


def _envelope(x: np.ndarray, y: np.ndarray, skew: float) -> tuple[float, float]:
    """The line ``a + b x`` under every point with the least total gap, ``|b - 1| <= skew``."""
    # minimise sum(y - a - b x) = const - n a - (sum x) b, subject to a + b x_i <= y_i
    n = x.size
    result = linprog(
        c=[-n, -float(x.sum())],
        A_ub=np.column_stack([np.ones(n), x]),
        b_ub=y,
        bounds=[(None, None), (1 - skew, 1 + skew)],
        method="highs",
    )
    if not result.success:
        raise ClockError(f"no clock fit: {result.message}")
    return float(result.x[0]), float(result.x[1])
