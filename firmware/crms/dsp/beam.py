# Two-microphone beamformer kernel: one short FIR per microphone, summed, in fixed point,
# then optionally the differential array's low-frequency equaliser, a leaky integrator
# s[t] = v[t] + (1 - b) s[t-1], kept with one extra bit of precision:
#   back'  = sat16((back * cal + 2^13) >> 14)                                 cal in Q14
#   acc[t] = sum_k hf[k] * front[t-k] + sum_k hb[k] * back'[t-k]             taps in Q14
#   v[t]   = (acc[t] + 2^12) >> 13                                           (x2, rounded)
#   s[t]   = clamp(v[t] + s[t-1] - ((b * s[t-1] + 2^14) >> 15), +-524287)    b in Q15, 1-4095
#   out[t] = sat16((g * s[t] + 2^12) >> 13)                                  g in Q12, <= 4095
# without the equaliser (b = 0) out[t] = sat16((acc[t] + 2^13) >> 14). The beamforming
# toolkit designs these numbers; its host model (beamforming/fixedpoint.py) computes the
# same bits, checked under the unix port. The badge ships the toolkit's hypercardioid
# (crms/dsp/badge_beam.py); a config's `beam` section may carry another exported design, or
# just `spacing_mm` for delay-and-sum towards the mouth (the front microphone delayed by d/c
# with a 4-tap Lagrange filter).
#
# Viper ints are machine words (32 bits on the ESP32-S3): with |x| <= 2^15 and the taps'
# absolute sum below 4.0 (2^16 in Q14) every accumulator stays below 2^31; |s| <= 2^19 - 1
# with b, g <= 4095 keeps b * s and g * s (plus rounding) below 2^31 too.
import array

import micropython
from micropython import const

Q = const(14)
MAX_TAPS = const(16)
_ABS_SUM_LIMIT = const(65536)
_S_MAX = const(524287)
_S_BIAS = const(524288)  # the equaliser's state is kept biased positive in a ptr32 slot
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


def design_from_config(beam, rate):
    # `beam` config section -> (front taps, back taps, eq_a, eq_g); ValueError names the
    # problem. With taps: an exported design (crmsensor beam export); without: the badge's
    # shipped design (crms/dsp/badge_beam.py), or delay-and-sum for `spacing_mm` alone.
    if beam.get("rate", rate) != rate:
        raise ValueError("beam: the design is for " + str(beam["rate"]) + " Hz, not " + str(rate))
    if "taps_front" in beam or "taps_back" in beam:
        front = beam.get("taps_front")
        back = beam.get("taps_back")
        if not isinstance(front, list) or not isinstance(back, list):
            raise ValueError("beam: taps_front and taps_back must both be lists")
        return front, back, beam.get("eq_b", 0), beam.get("eq_g", 4095)
    if "spacing_mm" in beam:
        front, back = das_taps(beam["spacing_mm"], rate)
        return front, back, 0, 4095
    from crms.dsp import badge_beam

    if rate != badge_beam.RATE:
        raise ValueError("beam: the shipped design is for " + str(badge_beam.RATE) + " Hz")
    return badge_beam.TAPS_FRONT, badge_beam.TAPS_BACK, badge_beam.EQ_B, badge_beam.EQ_G


@micropython.viper
def _fir2(work: ptr16, n: int, ntaps: int, h: ptr16, out: ptr16, frames: int, eq: ptr32):
    # work: [front history+block | back history+block], each n = ntaps-1+frames long.
    # eq: [b, g, state + bias].
    b = int(eq[0])
    g = int(eq[1])
    s = int(eq[2]) - _S_BIAS
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
        if b:
            s = ((acc + 4096) >> 13) + s - ((b * s + 16384) >> 15)
            if s > _S_MAX:
                s = _S_MAX
            elif s < -_S_MAX:
                s = -_S_MAX
            acc = (g * s + 4096) >> 13
        else:
            acc = (acc + 8192) >> 14
        if acc > 32767:
            acc = 32767
        elif acc < -32768:
            acc = -32768
        out[t] = acc
    eq[2] = s + _S_BIAS


@micropython.viper
def _split(inp: ptr16, work: ptr16, n: int, ntaps: int, frames: int, gain: int):
    # Keep the last ntaps-1 samples of each channel, then de-interleave the new block after
    # them; the back microphone scaled by gain (Q14, the microphone calibration), saturated.
    keep = ntaps - 1
    for i in range(keep):
        work[i] = work[n - keep + i]
        work[n + i] = work[2 * n - keep + i]
    for t in range(frames):
        work[keep + t] = inp[2 * t]
        xb = (int(inp[2 * t + 1]) ^ 0x8000) - 0x8000
        if gain != 16384:
            xb = (xb * gain + 8192) >> 14
            if xb > 32767:
                xb = 32767
            elif xb < -32768:
                xb = -32768
        work[n + keep + t] = xb


class Beamformer:
    # Stateful across blocks; process() allocates nothing.

    def __init__(self, front, back, block, eq_b=0, eq_g=4095):
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
        for name, v in (("eq_b", eq_b), ("eq_g", eq_g)):
            if not isinstance(v, int) or not 0 <= v <= 4095:
                raise ValueError("beam: " + name + " must be an integer 0-4095")
        self._eq = array.array("i", [eq_b, eq_g, _S_BIAS])
        self.back_gain = 16384  # Q14; set by the calibration (crms/dsp/calib.py)
        self.ntaps = ntaps
        self.block = block
        self._n = ntaps - 1 + block
        self._h = array.array("h", front + back)
        self._work = array.array("h", bytes(4 * self._n))

    def process(self, stereo, out, frames):
        # stereo: interleaved int16 [front, back] * frames; out: array('h') >= frames.
        if frames != self.block:
            raise ValueError("beam: blocks must be " + str(self.block) + " frames")
        _split(stereo, self._work, self._n, self.ntaps, frames, self.back_gain)
        _fir2(self._work, self._n, self.ntaps, self._h, out, frames, self._eq)
