"""Which services are reviewed (fleet/reviews/sampling.py): N per station-week, spread over
shifts and staff, reproducible whatever order the services come in."""

import random
from datetime import UTC, datetime, timedelta

from fleet.reviews.sampling import Service, sample, shift_of, spread


def _services(seed: int) -> list[Service]:
    rng = random.Random(seed)
    monday = datetime(2026, 11, 2, tzinfo=UTC)
    out = []
    for station in ("st-1", "st-2"):
        for n in range(4 * 150):  # four weeks, all hours, three cashiers
            start = monday + timedelta(seconds=rng.uniform(0, 28 * 86400))
            out.append(Service(f"s-{station}-{n}", station, start, rng.choice("abc")))
    return out


def test_each_station_week_gets_its_share_spread_over_shifts_and_staff() -> None:
    services = _services(1)
    picks = sample(services, per_week=10, salt="rule-1")
    assert len(picks) == 2 * 4 * 10
    for station in ("st-1", "st-2"):
        for week in range(45, 49):
            mine = [s for s in picks if s.station == station
                    and s.start.isocalendar()[1] == week]  # fmt: skip
            assert len(mine) == 10
            assert {shift_of(s.start) for s in mine} == {"morning", "day", "night"}
            assert {s.staff for s in mine} == {"a", "b", "c"}
            assert max(spread(mine).values()) <= 4  # 10 over 3 shifts: no shift crowds it
    shuffled = services[:]
    random.Random(9).shuffle(shuffled)
    assert sample(shuffled, per_week=10, salt="rule-1") == picks  # reproducible
    assert sample(services, per_week=10, salt="rule-2") != picks  # another rule, other picks


def test_a_quiet_week_gives_all_it_has_and_local_hours_make_the_shifts() -> None:
    few = [
        Service(f"s-{i}", "st-9", datetime(2026, 11, 3, 10 + i, tzinfo=UTC), "") for i in range(3)
    ]
    assert len(sample(few, per_week=10)) == 3
    late = datetime(2026, 11, 3, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    assert shift_of(late) == "day" and shift_of(late, "Europe/Moscow") == "night"
