"""A service's clip: the part of a badge's recordings that covers one kiosk session, with
pre-roll and post-roll, across recording boundaries. Pure: :func:`plan` decides which samples
of which recordings (in the badge's own time, where its microphones' samples are counted), and
:func:`render` cuts them out of decoded audio into one WAV, with silence where the badge did
not record (a gap is kept, not closed, so the session's edges stay where they were).

Times: the session's edges are the fleet's wall time (the kiosk's clock fitted by
fleet/reviews/clock.py); :class:`Take` gives each recording's start on the badge's clock
(seconds since boot, from its ``rec_start`` event's ``t_ms``), and the badge's fit maps one
to the other.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crmsensor.protocol import wavfile
from fleet.reviews.clock import ClockFit


@dataclass(frozen=True)
class Take:
    """One recording of the badge: where it starts on the badge's clock and how long it is."""

    rec_id: str
    start_s: float  # badge clock, seconds since boot
    duration_s: float
    rate: int

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Piece:
    """Frames ``[first, last)`` of recording ``rec_id`` (``rec_id`` None: silence, a gap)."""

    rec_id: str | None
    first: int
    last: int


@dataclass
class Plan:
    """A clip: its pieces in order, its rate, and where the session's edges are in it."""

    rate: int
    pieces: list[Piece] = field(default_factory=list)
    start_at_s: float = 0.0  # the session's start, seconds into the clip
    end_at_s: float = 0.0  # and its end
    covered: float = 0.0  # share of the session (edges included) the badge recorded

    @property
    def frames(self) -> int:
        return sum(p.last - p.first for p in self.pieces)


class NoAudio(ValueError):
    """No recording of this badge covers any of the session (the reason is in the message)."""


def plan(
    takes: Sequence[Take],
    badge: ClockFit,
    session_start: float,
    session_end: float,
    preroll_s: float = 2.0,
    postroll_s: float = 2.0,
) -> Plan:
    """The clip of the session ``[session_start, session_end)`` (wall seconds) from
    ``takes`` (one badge's recordings, one boot: ``badge`` is that boot's clock)."""
    if session_end <= session_start:
        raise ValueError("a session ends after it starts")
    lo = badge.device(session_start - preroll_s)
    hi = badge.device(session_end + postroll_s)
    s0, s1 = badge.device(session_start), badge.device(session_end)
    ordered = sorted((t for t in takes if t.end_s > lo and t.start_s < hi), key=lambda t: t.start_s)
    if not ordered:
        raise NoAudio("no recording covers the session (badge not worn, or not uploaded yet)")
    rate = ordered[0].rate
    if any(t.rate != rate for t in ordered):
        raise ValueError("the recordings of one clip differ in sample rate")
    out = Plan(rate)
    at = lo  # badge time the clip has reached
    recorded = 0.0
    for t in ordered:
        begin, end = max(t.start_s, at), min(t.end_s, hi)
        if end <= begin:
            continue  # overlapped by the take before
        if begin > at:
            out.pieces.append(Piece(None, 0, round((begin - at) * rate)))
        first = round((begin - t.start_s) * rate)
        last = first + round((end - begin) * rate)
        out.pieces.append(Piece(t.rec_id, first, last))
        recorded += max(0.0, min(end, s1) - max(begin, s0))
        at = end
    if at < hi:
        out.pieces.append(Piece(None, 0, round((hi - at) * rate)))
    out.start_at_s = s0 - lo
    out.end_at_s = s1 - lo
    out.covered = recorded / (s1 - s0)
    return out


def render(p: Plan, audio: Callable[[str], wavfile.Pcm]) -> bytes:
    """The clip as a 16-bit PCM WAV; ``audio(rec_id)`` gives a recording decoded."""
    parts: list[bytes] = []
    cache: dict[str, wavfile.Pcm] = {}
    for piece in p.pieces:
        n = piece.last - piece.first
        if piece.rec_id is None:
            parts.append(bytes(2 * n))
            continue
        pcm = cache.get(piece.rec_id) or cache.setdefault(piece.rec_id, audio(piece.rec_id))
        if pcm.rate != p.rate:
            raise wavfile.WavError(f"{piece.rec_id} is {pcm.rate} Hz, its manifest says {p.rate}")
        chunk = pcm.samples[2 * piece.first : 2 * piece.last]
        parts.append(chunk + bytes(2 * n - len(chunk)))  # a file shorter than its manifest
    return wavfile.pcm16_wav(p.rate, b"".join(parts))
