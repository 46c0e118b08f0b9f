"""Issue 20's clip-assembly goal: a day of one station, 12 hours of audio from each of 2 badges
(IMA ADPCM at 16 kHz, as the badge records by default, in 10-minute recordings with the gaps
of a badge taken off now and then) and 300 kiosk sessions: every session's clip from every
badge, planned (fleet/reviews/clips.py) in the badge's clock fitted from its messages
(fleet/reviews/clock.py), decoded, cut and written as a WAV file. Goal: under 60 s.

Making the world (encoding 24 hours of audio) is not timed; assembling is. Recordings are
decoded once while their sessions are cut (sessions in time order, a small cache), as the
clip job does.

    .venv/bin/python benchmarks/clip_assembly.py
"""

import argparse
import shutil
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crmsensor.protocol import wavfile
from fleet.reviews.clips import NoAudio, Take, plan, render
from fleet.reviews.clock import fit

RATE = 16_000
HOURS = 12.0
TAKE_S = 600.0
SESSIONS = 300
GOAL_S = 60.0
T0 = 1_795_000_000.0


def make_badge(
    folder: Path, name: str, rng: np.random.Generator, hours: float
) -> tuple[list[Take], object]:
    """A badge's day: recordings on disk, its takes on its clock, and its fitted clock."""
    skew, boot = rng.uniform(-50, 50) * 1e-6, T0 - rng.uniform(60, 3600)
    clock = lambda w: (w - boot) * (1 + skew)  # noqa: E731
    takes, t = [], T0
    n = 0
    while t < T0 + hours * 3600:
        if rng.random() < 0.1:
            t += rng.uniform(10, 120)  # taken off for a while
        rec = f"{name}-r{n:03d}"
        audio = (rng.standard_normal(int(TAKE_S * RATE)) * 800).astype("<i2").tobytes()
        (folder / f"{rec}.wav").write_bytes(wavfile.ima_adpcm_wav(RATE, audio))
        takes.append(Take(rec, clock(t), TAKE_S * (1 + skew), RATE))
        t += TAKE_S
        n += 1
    ev = np.sort(rng.uniform(0, hours * 3600, int(12 * hours))) + T0
    delays = rng.lognormal(np.log(0.03), 0.5, ev.size)
    return takes, fit(clock(ev), ev + delays)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=HOURS, help="the day's length (default 12)")
    ap.add_argument("--sessions", type=int, default=SESSIONS, help="kiosk sessions (300)")
    opts = ap.parse_args()
    rng = np.random.default_rng(20)
    work = Path(tempfile.mkdtemp(prefix="crms-clips-"))
    try:
        t_make = time.perf_counter()
        badges = {b: make_badge(work, b, rng, opts.hours) for b in ("b0", "b1")}
        size = sum(p.stat().st_size for p in work.glob("*.wav"))
        print(f"world: 2 badges x {opts.hours:g} h ({len(badges['b0'][0]) + len(badges['b1'][0])} "
              f"recordings, {size / 1e6:.0f} MB IMA ADPCM) made in "
              f"{time.perf_counter() - t_make:.0f} s")  # fmt: skip
        n = opts.sessions
        starts = np.sort(rng.uniform(0, opts.hours * 3600 - 300, n)) + T0
        ends = starts + rng.uniform(30, 240, n)
        out = work / "clips"
        out.mkdir()
        cache: OrderedDict[str, wavfile.Pcm] = OrderedDict()

        def audio(rec: str) -> wavfile.Pcm:
            if rec not in cache:
                cache[rec] = wavfile.read((work / f"{rec}.wav").read_bytes())
                if len(cache) > 4:
                    cache.popitem(last=False)
            return cache[rec]

        t0 = time.perf_counter()
        clips = missing = written = 0
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            for name, (takes, clock) in badges.items():
                try:
                    p = plan(takes, clock, float(start), float(end))  # type: ignore[arg-type]
                except NoAudio:
                    missing += 1
                    continue
                data = render(p, audio)
                (out / f"s{i:03d}-{name}.wav").write_bytes(data)
                clips += 1
                written += len(data)
        took = time.perf_counter() - t0
        print(f"{clips} clips ({missing} sessions without audio on a badge), "
              f"{written / 1e6:.0f} MB written, in {took:.1f} s")  # fmt: skip
        print("\n=== summary")
        print(f"clip assembly, a station-day ({opts.hours:g} h x 2 badges, {n} sessions): "
              f"{took:.1f} s (goal < {GOAL_S:g} s)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
