# Two-microphone beamformer kernel: one short FIR per microphone, summed, in fixed point.
#   out[t] = sat16((sum_k hf[k] * front[t-k] + sum_k hb[k] * back[t-k]) >> 14)
# Taps are Q14 integers. Delay-and-sum towards the mouth (endfire) is the default design:
# the front microphone hears the mouth d/c earlier, so it is delayed by that fraction of a
# sample with a 4-tap Lagrange filter. The beamforming toolkit exports other designs in the
# same two-FIR form (`beam.taps_front`, `beam.taps_back` in the config).
#
# Viper ints are machine words (32 bits on the ESP32-S3): with |x| <= 2^15 and the taps'
# absolute sum below 4.0 (2^16 in Q14) every accumulator stays below 2^31.
import array

import micropython
from micropython import const

Q = const(14)
MAX_TAPS = const(16)
_ABS_SUM_LIMIT = const(65536)
SPEED_OF_SOUND = 343.0


def lagrange(delay, ntaps=4):
    # Fractional-delay FIR (Lagrange interpolation) for `delay` samples, as floats.
    h = []
    for k in range(ntaps):
        c = 1.0
        for m in range(ntaps):
            if m != k:
                c *= (delay - m) / (k - m)
        h.append(c)
    return h


def das_taps(spacing_mm, rate):
    # Delay-and-sum towards the front (mouth) microphone: front delayed by 1 + tau samples,
    # back by 1 sample (Lagrange is most accurate between its two middle taps), each / 2.
    tau = spacing_mm / 1000.0 / SPEED_OF_SOUND * rate
    if not 0.0 <= tau <= 1.0:
        raise ValueError("beam: spacing_mm gives a delay of " + str(tau) + " samples (0..1)")
    front = [round(c * 0.5 * (1 << Q)) for c in lagrange(1.0 + tau)]
    back = [0, 1 << (Q - 1), 0, 0]
    return front, back


def taps_from_config(beam, rate):
    # `beam` config section -> (front, back) Q14 taps; ValueError names the problem.
    if "taps_front" in beam or "taps_back" in beam:
        front = beam.get("taps_front")
        back = beam.get("taps_back")
        if not isinstance(front, list) or not isinstance(back, list):
            raise ValueError("beam: taps_front and taps_back must both be lists")
        return front, back
    return das_taps(beam.get("spacing_mm", 17.5), rate)


@micropython.viper
def _fir2(work: ptr16, n: int, ntaps: int, h: ptr16, out: ptr16, frames: int):
    # work: [front history+block | back history+block], each n = ntaps-1+frames long.
    for t in range(frames):
        acc = 0
        base = t + ntaps - 1
        for k in range(ntaps):
            x = (int(work[base - k]) ^ 0x8000) - 0x8000
            c = (int(h[k]) ^ 0x8000) - 0x8000
            acc += c * x
            x = (int(work[n + base - k]) ^ 0x8000) - 0x8000
            c = (int(h[ntaps + k]) ^ 0x8000) - 0x8000
            acc += c * x
        acc = acc >> 14
        if acc > 32767:
            acc = 32767
        elif acc < -32768:
            acc = -32768
        out[t] = acc


@micropython.viper
def _split(inp: ptr16, work: ptr16, n: int, ntaps: int, frames: int):
    # Keep the last ntaps-1 samples of each channel, then de-interleave the new block after them.
    keep = ntaps - 1
    for i in range(keep):
        work[i] = work[n - keep + i]
        work[n + i] = work[2 * n - keep + i]
    for t in range(frames):
        work[keep + t] = inp[2 * t]
        work[n + keep + t] = inp[2 * t + 1]


class Beamformer:
    # Stateful across blocks; process() allocates nothing.

    def __init__(self, front, back, block):
        ntaps = len(front)
        if ntaps != len(back) or not 1 <= ntaps <= MAX_TAPS:
            raise ValueError("beam: taps_front and taps_back need the same length, 1-16")
        total = 0
        for c in front + back:
            if not isinstance(c, int) or not -32768 <= c <= 32767:
                raise ValueError("beam: taps must be Q14 integers in -32768..32767")
            total += abs(c)
        if total >= _ABS_SUM_LIMIT:
            raise ValueError("beam: taps' absolute sum must stay below 4.0 (65536 in Q14)")
        self.ntaps = ntaps
        self.block = block
        self._n = ntaps - 1 + block
        self._h = array.array("h", front + back)
        self._work = array.array("h", bytes(4 * self._n))

    def process(self, stereo, out, frames):
        # stereo: interleaved int16 [front, back] * frames; out: array('h') >= frames.
        if frames != self.block:
            raise ValueError("beam: blocks must be " + str(self.block) + " frames")
        _split(stereo, self._work, self._n, self.ntaps, frames)
        _fir2(self._work, self._n, self.ntaps, self._h, out, frames)
