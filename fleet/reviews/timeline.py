"""Devices' events as timelines in the fleet's time: a kiosk's service sessions with their wall
edges, a badge's boots with their recordings (:class:`~fleet.reviews.clips.Take`) and their
fitted clocks. Pure: event rows in, timelines out (fleet/reviews/service_clips.py reads the rows
and stores what comes out).

A device's clock restarts at every boot, so its events are split into boots: at a ``boot``
event, and wherever its clock goes backwards. Each boot's clock is fitted on its own
(fleet/reviews/clock.py) from the points its events give:

- a badge's ``worn``, ``unworn``, ``rec_start`` and ``rec_stop`` carry ``t_ms``, the time
  they were sent on its clock of microphones;
- a kiosk's ``session_start`` and ``session_end`` carry ``t_s``, the boundary dated back to
  the first frame that showed it, and ``lag_s``, how long after it the event was sent; the
  point is ``t_s + lag_s``. An end sent by an older kiosk without ``lag_s`` gives no point
  (its sending time is unknown), but still gets its wall time from the boot's fit.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fleet.reviews.clips import Take
from fleet.reviews.clock import ClockError, ClockFit, fit


@dataclass(frozen=True)
class Row:
    """One stored event: its row id (arrival order), type, data and receipt time (Unix s)."""

    id: int
    type: str
    data: Any
    received_s: float


@dataclass
class BadgeBoot:
    """One boot of a badge: its clock, recordings and worn intervals (its clock, seconds)."""

    fit: ClockFit | None
    error: str = ""  # why there is no fit
    takes: list[Take] = field(default_factory=list)
    worn: list[tuple[float, float | None]] = field(default_factory=list)
    made: dict[str, tuple[float, float | None]] = field(default_factory=dict)  # every rec said
    t_first: float = 0.0  # its first and last event on its clock
    t_last: float = 0.0

    def pending(self, stored: set[str], lo: float, hi: float) -> list[str]:
        """Recordings it made over ``[lo, hi)`` (its clock) that are not stored (yet)."""
        return sorted(
            r for r, (a, b) in self.made.items()
            if r not in stored and a < hi and (b is None or b > lo)
        )  # fmt: skip


@dataclass(frozen=True)
class Session:
    """A kiosk's service session: wall edges (Unix s) and the kiosk's own times of them."""

    session: str
    roi: str
    start: float
    end: float
    t_start: float
    t_end: float
    end_row: int  # the session_end event's row id


class TimelineError(ValueError):
    """Event data that does not make a timeline; the message names the event."""


def _num(data: Any, key: str) -> float | None:
    v = data.get(key) if isinstance(data, dict) else None
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def split_boots(rows: Iterable[Row], clock: str) -> list[list[Row]]:
    """Rows in arrival order, split into boots: at a ``boot`` event and wherever the device's
    clock (``clock``: ``t_ms`` or ``t_s``) goes back by more than a second."""
    boots: list[list[Row]] = [[]]
    last = None
    scale = 1000.0 if clock == "t_ms" else 1.0
    for r in sorted(rows, key=lambda r: r.id):
        t = _num(r.data, clock)
        if r.type == "boot" or (t is not None and last is not None and t < last - scale):
            boots.append([])
            last = None
        if r.type != "boot":
            boots[-1].append(r)
        if t is not None:
            last = t
    return [b for b in boots if b]


def _fit(points: Sequence[tuple[float, float]]) -> tuple[ClockFit | None, str]:
    if not points:
        return None, "no event with the device's clock to place it in time"
    try:
        return fit([p[0] for p in points], [p[1] for p in points]), ""
    except ClockError as exc:
        return None, str(exc)


def badge_boots(rows: Iterable[Row], stored: dict[str, tuple[float, int]]) -> list[BadgeBoot]:
    """A badge's boots. ``stored``: rec id -> (duration in s, sample rate) of its stored
    recordings; one not in it is not stored (yet) and has no take."""
    out = []
    for boot in split_boots(rows, "t_ms"):
        points, starts, stops = [], {}, {}
        worn: list[tuple[float, float | None]] = []
        for r in boot:
            t_ms = _num(r.data, "t_ms")
            if t_ms is None:
                continue
            t = t_ms / 1000
            points.append((t, r.received_s))
            rec = r.data.get("rec")
            if r.type == "rec_start" and isinstance(rec, str):
                starts[rec] = t
            elif r.type == "rec_stop" and isinstance(rec, str):
                stops[rec] = t
            elif r.type == "worn":
                worn.append((t, None))
            elif r.type == "unworn" and worn and worn[-1][1] is None:
                worn[-1] = (worn[-1][0], t)
        clock, error = _fit(points)
        made = {r: (t, stops.get(r)) for r, t in starts.items()}
        b = BadgeBoot(clock, error, worn=worn, made=made,
                      t_first=min((p[0] for p in points), default=0.0),
                      t_last=max((p[0] for p in points), default=0.0))  # fmt: skip
        for rec, t in starts.items():
            if rec not in stored:
                continue
            duration, rate = stored[rec]
            end = stops.get(rec)
            # the stop's time spans the silences the badge trimmed; the stored duration not
            length = end - t if end is not None and end > t else duration
            b.takes.append(Take(rec, t, max(length, duration), rate))
        out.append(b)
    return out


def kiosk_sessions(rows: Iterable[Row]) -> tuple[list[Session], list[str]]:
    """A kiosk's ended sessions with their wall edges, and why others have none (a boot whose
    clock could not be fitted: one message per session left out)."""
    out: list[Session] = []
    problems: list[str] = []
    for boot in split_boots(rows, "t_s"):
        points = []
        starts: dict[str, tuple[float, str]] = {}
        ends: list[tuple[str, float, int]] = []
        for r in boot:
            t, lag = _num(r.data, "t_s"), _num(r.data, "lag_s")
            session = r.data.get("session") if isinstance(r.data, dict) else None
            if t is None or not isinstance(session, str):
                continue
            if lag is not None and lag >= 0:
                points.append((t + lag, r.received_s))
            if r.type == "session_start":
                roi = r.data.get("roi")
                starts.setdefault(session, (t, roi if isinstance(roi, str) else ""))
            elif r.type == "session_end":
                ends.append((session, t, r.id))
        clock, error = _fit(points)
        for session, t_end, row in ends:
            if session not in starts:
                problems.append(f"{session}: its start never arrived")
                continue
            t_start, roi = starts[session]
            if clock is None:
                problems.append(f"{session}: {error}")
                continue
            if t_end < t_start:
                problems.append(f"{session}: ends before it starts on the kiosk's clock")
                continue
            out.append(Session(session, roi, clock.wall(t_start), clock.wall(t_end),
                               t_start, t_end, row))  # fmt: skip
    return out, problems
