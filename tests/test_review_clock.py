"""Device clocks fitted to the fleet's time (fleet/reviews/clock.py): a crystal 50 ppm off and
network delays that are never negative, some of them an offline queue's minutes."""

import numpy as np
import pytest

from fleet.reviews.clock import ClockError, fit


def _world(seed: int, skew_ppm: float, n: int = 150, hours: float = 12.0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    wall = np.sort(rng.uniform(0, hours * 3600, n)) + 1_795_000_000.0
    boot = wall[0] - 1234.5
    device = (wall - boot) * (1 + skew_ppm * 1e-6)  # what the device's clock reads
    delay = rng.lognormal(np.log(0.03), 0.5, n)
    queued = rng.random(n) < 0.05  # sent from an offline queue, minutes later
    delay[queued] += rng.uniform(10, 600, queued.sum())
    return device, wall + delay, wall


@pytest.mark.parametrize("skew", [-50.0, 0.0, 50.0])
def test_the_fit_finds_the_clock_under_the_delays(skew: float) -> None:
    device, received, wall = _world(7, skew)
    f = fit(device, received)
    assert abs(f.skew_ppm - skew) < 2.0
    errors = [abs(f.wall(d) - w) for d, w in zip(device, wall, strict=True)]
    assert max(errors) < 0.05  # the delays were 20-60 ms at their least
    assert abs(f.device(f.wall(device[40])) - device[40]) < 1e-6
    # least squares is pulled late by the queued events
    slope, intercept = np.polyfit(device, received, 1)
    assert max(abs(slope * d + intercept - w) for d, w in zip(device, wall, strict=True)) > 1.0


def test_few_points_and_jumps_are_handled_with_a_reason() -> None:
    with pytest.raises(ClockError, match="no"):
        fit([], [])
    one = fit([10.0], [1000.2])
    assert one.rate == 1.0 and one.wall(10.0) == pytest.approx(1000.2)
    with pytest.raises(ClockError, match="jumped"):
        fit([0.0, 100.0, 200.0], [0.0, 100.0, 300.0])  # 50% off: a jump, not a drift
