"""A service's clip from a badge's recordings (fleet/reviews/clips.py): every sample of the
badge's audio carries its own number, so the test reads back exactly which part of the
badge's day the clip holds, across a recording boundary and a gap, with the badge's crystal
50 ppm fast and its clock fitted from delayed messages."""

import array

import numpy as np
import pytest

from crmsensor.protocol import wavfile
from fleet.reviews.clips import NoAudio, Take, plan, render
from fleet.reviews.clock import fit

RATE = 8000
SKEW = 50e-6
BOOT = 1_795_000_000.0


def badge_time(wall: float) -> float:
    return (wall - BOOT) * (1 + SKEW)


def take_audio(take: Take) -> wavfile.Pcm:
    """Each sample's value: its number on the badge's sample clock, modulo 30000."""
    first = round(take.start_s * RATE)
    n = round(take.duration_s * RATE)
    samples = array.array("h", ((first + i) % 30000 for i in range(n)))
    return wavfile.Pcm(RATE, samples.tobytes())


def test_a_clip_holds_the_session_across_takes_and_gaps() -> None:
    rng = np.random.default_rng(3)
    walls = np.sort(rng.uniform(0, 3600, 40)) + BOOT + 60
    badge = fit([badge_time(w) for w in walls], list(walls + rng.lognormal(np.log(0.03), 0.5, 40)))
    takes = [Take("r-1", badge_time(BOOT + 100), 600.0, RATE),  # then a 20 s gap
             Take("r-2", badge_time(BOOT + 720), 600.0, RATE)]  # fmt: skip
    start, end = BOOT + 650.0, BOOT + 760.0  # from the first take, over the gap, into the second
    p = plan(takes, badge, start, end, preroll_s=2, postroll_s=3)
    assert [pc.rec_id for pc in p.pieces] == ["r-1", None, "r-2"]
    assert p.covered == pytest.approx((750 - 650 - 20 + 10) / 110, abs=0.01)
    pcm = wavfile.read(render(p, lambda rec: take_audio({t.rec_id: t for t in takes}[rec])))
    got = array.array("h", pcm.samples)
    assert abs(len(got) - (110 + 5) * RATE * (1 + SKEW)) <= 3  # a frame of rounding a piece
    at_start = round(p.start_at_s * RATE)
    expected = round(badge_time(start) * RATE) % 30000
    assert abs(got[at_start] - expected) <= 0.25 * RATE  # the session starts where it did
    gap = round((badge_time(BOOT + 700) - badge_time(start - 2)) * RATE)
    assert got[gap + 10] == 0 and got[gap + 20 * RATE - 10] == 0  # silence where none was
    at_end = round(p.end_at_s * RATE)
    assert abs(got[at_end] - round(badge_time(end) * RATE) % 30000) <= 0.25 * RATE


def test_no_recording_is_named() -> None:
    badge = fit([100.0, 4000.0], [BOOT + 100, BOOT + 4000])
    with pytest.raises(NoAudio, match="not worn"):
        plan([Take("r-1", 10.0, 50.0, RATE)], badge, BOOT + 3000, BOOT + 3100)
    with pytest.raises(ValueError, match="ends after"):
        plan([], badge, BOOT + 3000, BOOT + 2000)
