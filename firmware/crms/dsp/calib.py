# Microphone gain calibration. MEMS microphones differ by up to +-1 dB in sensitivity, and a
# differential beamformer loses most of its gain to 1 dB of mismatch. Far and diffuse sound
# reaches both microphones at the same level; the mouth, 18 cm away, does not. So the power
# of both microphones is averaged over blocks without speech (the trimmer's decision) and the
# back microphone's gain follows sqrt(P_front / P_back), limited to +-6 dB.
import micropython
from micropython import const

_MIN_Q14 = const(8211)  # -6 dB
_MAX_Q14 = const(32690)  # +6 dB


@micropython.viper
def _powers(x: ptr16, frames: int, out: ptr32):
    # Mean of x^2 / 256 per channel of interleaved stereo (each term < 2^22).
    pf = 0
    pb = 0
    for t in range(frames):
        a = (int(x[2 * t]) ^ 0x8000) - 0x8000
        b = (int(x[2 * t + 1]) ^ 0x8000) - 0x8000
        pf += (a * a) >> 8
        pb += (b * b) >> 8
    out[0] = pf // frames
    out[1] = pb // frames


class Calibrator:
    def __init__(self, alpha=0.02, min_power=4):
        import array

        self.alpha = alpha
        self.min_power = min_power  # blocks quieter than this teach nothing (self noise)
        self._p = array.array("i", [0, 0])
        self.front = 0.0
        self.back = 0.0
        self.blocks = 0
        self.gain_q14 = 16384

    def update(self, stereo, frames, quiet):
        # One raw block; quiet: no speech in or around it. Returns the gain (Q14).
        if not quiet:
            return self.gain_q14
        _powers(stereo, frames, self._p)
        pf, pb = self._p[0], self._p[1]
        if pf < self.min_power or pb < self.min_power:
            return self.gain_q14
        a = self.alpha if self.blocks > 50 else 1.0 / (self.blocks + 1)
        self.front += a * (pf - self.front)
        self.back += a * (pb - self.back)
        self.blocks += 1
        g = int(16384 * (self.front / self.back) ** 0.5)
        self.gain_q14 = max(_MIN_Q14, min(_MAX_Q14, g))
        return self.gain_q14
