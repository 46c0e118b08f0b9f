# Energy voice-activity detector that trims long silences.
# Per block: mean square energy (viper) against a tracked noise floor. Speech is energy
# `ratio` times above the floor (and above an absolute minimum); a hangover keeps the
# ends of words. Silence is kept up to `max_gap` blocks (natural pauses survive), the rest
# is dropped; the last `preroll` dropped blocks are replayed before speech resumes so
# onsets are not clipped. Each cut is marked: (output sample where it happened, samples
# dropped), so a listener can tell a trimmed pause from a short one.
import array

import micropython
from micropython import const

MAX_CUTS = const(512)


@micropython.viper
def block_energy(x: ptr16, n: int) -> int:
    # Mean of x^2 / 256 (each term < 2^22, so the sum of 4096 terms stays below 2^31).
    acc = 0
    for i in range(n):
        v = (int(x[i]) ^ 0x8000) - 0x8000
        acc += (v * v) >> 8
    return acc // n


@micropython.viper
def _copy16(src: ptr16, dst: ptr16, off: int, n: int):
    for i in range(n):
        dst[off + i] = src[i]


class Trimmer:
    # feed() one block at a time; kept blocks go to emit(buf, n). Allocates only in __init__.

    def __init__(
        self,
        emit,
        block,
        ratio=8,
        min_energy=4,
        hang_blocks=20,
        max_gap_blocks=44,
        preroll_blocks=4,
        floor_rise=1,
    ):
        self._emit = emit
        self.block = block
        self.ratio = ratio
        self.min_energy = min_energy
        self.hang = hang_blocks
        self.max_gap = max_gap_blocks
        self.preroll = preroll_blocks
        self._rise = floor_rise  # floor grows by floor/64 * rise per block when not lower
        self._ring = array.array("h", bytes(2 * block * max(1, preroll_blocks)))
        self.cuts = array.array("I", bytes(4 * 2 * MAX_CUTS))
        self.floor = 1 << 30  # mean-square noise floor; learnt from the first blocks
        self.reset()

    def reset(self):
        # A new recording: counters and marks start again; the noise floor is kept.
        self.since_speech = 1 << 20  # blocks since the last speech block
        self.dropped = 0  # blocks dropped in the current cut
        self.ring_n = 0  # valid blocks in the preroll ring
        self.ring_pos = 0
        self.out_samples = 0
        self.ncuts = 0
        self.speech_blocks = 0

    def _track_floor(self, e):
        f = self.floor
        if e < f:
            self.floor = max(e, 1)
        else:
            self.floor = f + (f >> 6) * self._rise + 1

    def feed(self, x, n):
        e = block_energy(x, n)
        speech = e > self.min_energy and e > self.floor * self.ratio
        self._track_floor(e)
        if speech:
            self.since_speech = 0
            self.speech_blocks += 1
        else:
            self.since_speech += 1
        if self.since_speech <= self.hang + self.max_gap:
            if self.dropped:
                self._flush_ring()
            self._out(x, n)
            return True
        # Inside a long silence: drop, but remember the newest blocks for the preroll.
        self.dropped += 1
        if self.preroll:
            _copy16(x, self._ring, self.ring_pos * self.block, n)
            self.ring_pos = (self.ring_pos + 1) % self.preroll
            self.ring_n = min(self.ring_n + 1, self.preroll)
        return False

    def _flush_ring(self):
        replay = self.ring_n
        cut = (self.dropped - replay) * self.block
        if cut > 0 and self.ncuts < MAX_CUTS:
            self.cuts[2 * self.ncuts] = self.out_samples
            self.cuts[2 * self.ncuts + 1] = cut
            self.ncuts += 1
        start = (self.ring_pos - replay) % max(1, self.preroll)
        for i in range(replay):
            j = (start + i) % self.preroll
            self._out(memoryview(self._ring)[j * self.block : (j + 1) * self.block], self.block)
        self.dropped = 0
        self.ring_n = 0
        self.ring_pos = 0

    def _out(self, x, n):
        self._emit(x, n)
        self.out_samples += n

    def finish(self):
        # End of a recording: a trailing cut is marked too (nothing is replayed).
        if self.dropped and self.ncuts < MAX_CUTS:
            self.cuts[2 * self.ncuts] = self.out_samples
            self.cuts[2 * self.ncuts + 1] = self.dropped * self.block
            self.ncuts += 1
        self.dropped = 0
        self.ring_n = 0
        self.ring_pos = 0
