"""Which services get reviewed: N per station per week, spread over shifts and staff, so a
reviewer cannot pick the easy ones. Pure and reproducible: every service has a rank from a
hash of its id and a per-rule salt, and a station-week's picks go round its (shift, staff)
groups, taking each group's lowest-ranked service in turn, the groups themselves in rank
order; the same inputs give the same picks, and a service added later takes its place by rank
without reshuffling the others' groups.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

SHIFTS = ((6, "morning"), (14, "day"), (22, "night"))  # (starting local hour, name)


@dataclass(frozen=True)
class Service:
    """A kiosk session to be reviewed: where, when, and who served (the badge's wearer)."""

    id: str
    station: str
    start: datetime  # timezone-aware
    staff: str  # who wore the badge; "" when unknown


def shift_of(start: datetime, tz: str = "UTC") -> str:
    """The shift a service fell in, by the station's local hour."""
    hour = start.astimezone(ZoneInfo(tz)).hour
    name = SHIFTS[-1][1]
    for begins, shift in SHIFTS:
        if hour >= begins:
            name = shift
    return name  # before the first shift's hour: still the night before


def _rank(salt: str, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}\0{key}".encode()).digest()[:8], "big")


def sample(
    services: Iterable[Service],
    per_week: int,
    salt: str = "",
    timezones: dict[str, str] | None = None,
) -> list[Service]:
    """``per_week`` services of each station in each ISO week (all of them when fewer),
    spread over shifts and staff. ``timezones``: station -> IANA zone (else UTC)."""
    if per_week < 1:
        raise ValueError("per_week must be at least 1")
    tz = timezones or {}
    weeks: dict[tuple[str, int, int], dict[tuple[str, str], list[Service]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for s in services:
        local = s.start.astimezone(ZoneInfo(tz.get(s.station, "UTC")))
        year, week, _ = local.isocalendar()
        group = (shift_of(s.start, tz.get(s.station, "UTC")), s.staff)
        weeks[(s.station, year, week)][group].append(s)
    picked: list[Service] = []
    for key in sorted(weeks):
        groups = weeks[key]
        queues: list[list[Service]] = [
            sorted(g, key=lambda s: _rank(salt, s.id), reverse=True)
            for _, g in sorted(groups.items(), key=lambda kv: _rank(salt, "|".join(kv[0])))
        ]
        taken: list[Service] = []
        while len(taken) < per_week and any(queues):
            for q in queues:
                if q and len(taken) < per_week:
                    taken.append(q.pop())
        picked += sorted(taken, key=lambda s: s.start)
    return picked


def spread(picks: Sequence[Service], tz: str = "UTC") -> dict[str, int]:
    """How many picks fell in each shift (for the sampling rule's report)."""
    out: dict[str, int] = defaultdict(int)
    for s in picks:
        out[shift_of(s.start, tz)] += 1
    return dict(out)
