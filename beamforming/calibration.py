"""The badge's microphone calibration as it runs on the device, modelled on the host.

The recorder (firmware/crms/recorder.py) does, per 256-sample block of raw stereo:

    quiet = trimmer.since_speech > trimmer.hang        no speech in or around the block
    beam.back_gain = calibrator.update(raw, quiet)      firmware/crms/dsp/calib.py
    mono = beam.process(raw)                            the fixed-point kernel, that gain
    trimmer.feed(mono)                                  firmware/crms/dsp/vad.py

so the gain the back microphone gets depends on the speech decisions the beamformed output
made so far. :func:`back_gains` runs that loop with the same integer arithmetic and the same
double-precision float updates as the firmware under the MicroPython unix port (the test
``test_host_calibration_is_the_firmwares`` compares them gain for gain). On the ESP32-S3
MicroPython's floats are single precision; the Q14 gain can differ there by a step.
"""

from dataclasses import dataclass

import numpy as np

from beamforming import fixedpoint

BLOCK = 256
MIN_Q14, MAX_Q14 = 8211, 32690  # -6 dB, +6 dB
HANG_BLOCKS = 18  # the recorder's hang_ms (300 ms) in 256-sample blocks at 16 kHz


def block_power(x: np.ndarray) -> int:
    """Mean of x^2 >> 8 over the block (int), as the firmware's viper loops compute it."""
    v = x.astype(np.int64)
    return int(np.sum((v * v) >> 8) // len(v))


@dataclass
class SpeechGate:
    """The trimmer's speech decision (vad.Trimmer.feed without the trimming)."""

    ratio: int = 8
    min_energy: int = 4
    hang: int = HANG_BLOCKS
    floor: int = 1 << 30
    since_speech: int = 1 << 20

    @property
    def quiet(self) -> bool:
        return self.since_speech > self.hang

    def feed(self, mono: np.ndarray) -> None:
        e = block_power(mono)
        speech = e > self.min_energy and e > self.floor * self.ratio
        f = self.floor
        self.floor = max(e, 1) if e < f else f + (f >> 6) + 1
        self.since_speech = 0 if speech else self.since_speech + 1


@dataclass
class Calibrator:
    """firmware/crms/dsp/calib.py's Calibrator."""

    alpha: float = 0.02
    min_power: int = 4
    front: float = 0.0
    back: float = 0.0
    blocks: int = 0
    gain_q14: int = 16384

    def update(self, stereo: np.ndarray, quiet: bool) -> int:
        if not quiet:
            return self.gain_q14
        pf, pb = block_power(stereo[0]), block_power(stereo[1])
        if pf < self.min_power or pb < self.min_power:
            return self.gain_q14
        a = self.alpha if self.blocks > 50 else 1.0 / (self.blocks + 1)
        self.front += a * (pf - self.front)
        self.back += a * (pb - self.back)
        self.blocks += 1
        g = int(16384 * (self.front / self.back) ** 0.5)
        self.gain_q14 = max(MIN_Q14, min(MAX_Q14, g))
        return self.gain_q14


@dataclass
class Calibrated:
    """What the loop did over a signal: the back microphone's gain for each block."""

    gains: np.ndarray  # int, one per block
    blocks_learnt: int

    def per_sample(self, n: int) -> np.ndarray:
        g = np.repeat(self.gains, BLOCK)[:n]
        if len(g) < n:  # a trailing partial block keeps the last gain
            g = np.concatenate(
                [g, np.full(n - len(g), self.gains[-1] if len(self.gains) else 16384)]
            )
        return g


def back_gains(fd: fixedpoint.FixedDesign, x: np.ndarray, hang: int = HANG_BLOCKS) -> Calibrated:
    """The recorder's calibration loop over int16 stereo ``x`` (2, N) with kernel ``fd``."""
    cal, gate = Calibrator(), SpeechGate(hang=hang)
    stream = fixedpoint.KernelStream(fd)
    gains = []
    for start in range(0, x.shape[1] - BLOCK + 1, BLOCK):
        raw = x[:, start : start + BLOCK]
        g = cal.update(raw, gate.quiet)
        gains.append(g)
        gate.feed(stream.process(raw, g))
    return Calibrated(np.array(gains, dtype=np.int64), cal.blocks)
