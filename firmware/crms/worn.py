# Worn gate: decides from accelerometer samples whether the badge is being worn.
#
# Worn means upright on a living body. Gravity then points along the badge's vertical axis
# (+y, towards the mouth) within `max_tilt`, and the body never keeps it perfectly still:
# breathing tilts the chest a degree or two, posture sways, walking shakes it. Lying on a
# desk, face down, or in a drawer the badge is either not upright or still to the sensor's
# noise (about 1 mg rms per axis for a LIS3DH in high-resolution mode at 25 Hz).
#
# Every hop (half a second of samples) the gate looks at:
#   upright: the hop's or the window's mean vector has y >= cos(max_tilt) * |mean| and
#            |mean| near 1 g;
#   motion:  the sum over x, y, z of the standard deviation over the last `window` hops, in mg.
# It enters `worn` after `on_hops` hops in a row that are upright with motion >= on_mg, and
# leaves after `off_hops` hops in a row that are not upright or have motion < off_mg. With
# the defaults that is 1 s to start and 6 s to stop (plus the window's 2 s memory).
import array

from micropython import const

_MAX_WINDOW = const(8)


class WornGate:
    def __init__(
        self, rate_hz, on_mg=8, off_mg=5, on_hops=2, off_hops=12, window_hops=4, max_tilt_cos=0.5
    ):
        if not 1 <= window_hops <= _MAX_WINDOW:
            raise ValueError("worn: window_hops must be 1-" + str(_MAX_WINDOW))
        self.hop = max(1, rate_hz // 2)
        self.on_mg = on_mg
        self.off_mg = off_mg
        self.on_hops = on_hops
        self.off_hops = off_hops
        self.window = window_hops
        self.tilt_cos = max_tilt_cos
        # Per hop and axis: the mean and variance (mg, mg^2), kept for `window` hops.
        self._mean = array.array("f", bytes(4 * 3 * _MAX_WINDOW))
        self._var = array.array("f", bytes(4 * 3 * _MAX_WINDOW))
        # This hop's sums, relative to its first sample so they stay small ints.
        self._ref = array.array("i", bytes(4 * 3))
        self._acc = array.array("i", bytes(4 * 6))
        self._n = 0
        self._hops = 0
        self.worn = False
        self._streak = 0
        self.samples = 0
        self.motion_mg = 0.0
        self.upright = False

    def update(self, x, y, z):
        # One sample in mg. Returns True when `worn` changed with this sample.
        r = self._ref
        if self._n == 0:
            r[0] = x
            r[1] = y
            r[2] = z
        x -= r[0]
        y -= r[1]
        z -= r[2]
        a = self._acc
        a[0] += x
        a[1] += y
        a[2] += z
        a[3] += x * x
        a[4] += y * y
        a[5] += z * z
        self._n += 1
        self.samples += 1
        if self._n < self.hop:
            return False
        return self._end_hop()

    def _end_hop(self):
        a = self._acc
        n = self._n
        slot = self._hops % self.window
        for i in range(3):
            m = a[i] / n
            self._mean[3 * slot + i] = self._ref[i] + m
            self._var[3 * slot + i] = max(0.0, a[3 + i] / n - m * m)
            a[i] = 0
            a[3 + i] = 0
        self._n = 0
        self._hops += 1
        # Upright by this hop's mean (quick to see a badge pinned on) or the window's (vigorous
        # motion such as running swings a single hop's mean far more than it tilts the badge).
        self.upright = self._upright(slot, 1) or self._upright(0, min(self._hops, self.window))
        self.motion_mg = self._motion()
        if self.worn:
            off = not self.upright or self.motion_mg < self.off_mg
            self._streak = self._streak + 1 if off else 0
            if self._streak >= self.off_hops:
                self.worn = False
                self._streak = 0
                return True
        else:
            on = self.upright and self.motion_mg >= self.on_mg
            self._streak = self._streak + 1 if on else 0
            if self._streak >= self.on_hops:
                self.worn = True
                self._streak = 0
                return True
        return False

    def _upright(self, first, hops):
        # Is the mean of hops first..first+hops-1 (ring slots) within max_tilt of +y, ~1 g?
        m = [0.0, 0.0, 0.0]
        for h in range(first, first + hops):
            for i in range(3):
                m[i] += self._mean[3 * h + i] / hops
        g = (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]) ** 0.5
        return 600 <= g <= 1400 and m[1] >= self.tilt_cos * g

    def _motion(self):
        # Sum over axes of the std over the window: mean within-hop variance plus the
        # variance of the hop means (computed from differences: no float cancellation).
        hops = min(self._hops, self.window)
        total = 0.0
        for i in range(3):
            mean = 0.0
            within = 0.0
            for h in range(hops):
                mean += self._mean[3 * h + i]
                within += self._var[3 * h + i]
            mean /= hops
            between = 0.0
            for h in range(hops):
                d = self._mean[3 * h + i] - mean
                between += d * d
            total += ((within + between) / hops) ** 0.5
        return total
