"""Device clocks fitted to the fleet's time (fleet/reviews/clock.py): a crystal 50 ppm off and
network delays that are never negative, some of them an offline queue's minutes; and the
timelines built on them (fleet/reviews/timeline.py), split where a device restarted."""

import numpy as np
import pytest

from fleet.reviews.clock import ClockError, fit
from fleet.reviews.timeline import Row, badge_boots, kiosk_sessions, split_boots


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


def test_a_short_span_of_jittered_points_is_a_crystal_not_a_jump() -> None:
    # two kiosk events 20 s apart, 0.2 s of jitter between them: the steepest line under
    # them is 1% off, no crystal; the fit keeps a crystal's rate instead of refusing
    f = fit([100.0, 120.0], [5000.02, 5020.22])
    assert abs(f.skew_ppm) <= 500.0 and f.worst_gap_s < 0.25
    assert f.wall(100.0) == pytest.approx(5000.02, abs=0.25)


def test_timelines_split_at_reboots_and_name_what_is_missing() -> None:
    def row(i: int, type_: str, data: dict) -> Row:  # type: ignore[type-arg]
        return Row(i, type_, data, 1000.0 + i)

    kiosk = [
        row(1, "session_start", {"session": "s-1-1", "roi": "desk", "t_s": 50.0, "lag_s": 1.0}),
        row(2, "session_end", {"session": "s-1-1", "roi": "desk", "t_s": 52.0, "lag_s": 0.5}),
        # restarted: its clock from 0 again, and an end whose start was lost
        row(3, "session_end", {"session": "s-2-1", "roi": "desk", "t_s": 3.0, "lag_s": 0.5}),
    ]
    sessions, problems = kiosk_sessions(kiosk)
    assert [s.session for s in sessions] == ["s-1-1"]
    assert sessions[0].start == pytest.approx(999.5, abs=0.01)  # under the earlier arrival
    assert problems == ["s-2-1: its start never arrived"]
    assert len(split_boots(kiosk, "t_s")) == 2
    badge = [row(1, "rec_start", {"rec": "r1", "t_ms": 5000}), row(2, "boot", {}),
             row(3, "rec_start", {"rec": "r2", "t_ms": 9000})]  # fmt: skip
    boots = badge_boots(badge, {"r1": (4.0, 16000), "r2": (2.0, 16000)})
    assert [[t.rec_id for t in b.takes] for b in boots] == [["r1"], ["r2"]]
    assert boots[0].pending(set(), 0.0, 10.0) == ["r1"]  # said, not stored
