"""The badge's beamformer kernel in fixed point: quantising a float design into the numbers
the firmware loads, and a host model that computes exactly the bits the firmware's viper
kernel (firmware/crms/dsp/beam.py) computes.

    back'  = sat16((back cal + 2^13) >> 14)                             calibration, Q14
    acc[t] = sum_k hf[k] front[t-k] + sum_k hb[k] back[t-k]             taps Q14
    v[t]   = (acc[t] + 2^12) >> 13                                      one extra bit, rounded
    s[t]   = clamp(v[t] + s[t-1] - ((b s[t-1] + 2^14) >> 15), +-524287)  b = 1 - a in Q15
    out[t] = sat16((g s[t] + 2^12) >> 13)                               g Q12
    (b = 0: no equaliser, out[t] = sat16((acc[t] + 2^13) >> 14))

Rounding and the extra bit matter: the equaliser boosts low frequencies by up to 1/b, and a
truncated v would feed it a bias (measured: 46 dB from the float design with truncation,
63 dB like this).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from beamforming import designs

Q_TAPS = 14
S_MAX = 524287
ABS_SUM_LIMIT = 1 << 16
EQ_MAX = 4095  # b and g: keeps b * s and g * s below 2^31 with |s| <= S_MAX


@dataclass(frozen=True)
class FixedDesign:
    """What the firmware loads (the config's ``beam`` section)."""

    name: str
    rate: int
    taps_front: tuple[int, ...]
    taps_back: tuple[int, ...]
    eq_b: int
    eq_g: int

    def as_config(self) -> dict[str, Any]:
        return {
            "design": self.name,
            "rate": self.rate,
            "taps_front": list(self.taps_front),
            "taps_back": list(self.taps_back),
            "eq_b": self.eq_b,
            "eq_g": self.eq_g,
        }


def quantise(d: designs.Differential | designs.DelayAndSum) -> FixedDesign:
    """Round a float two-FIR design (with its equaliser, if any) to the kernel's formats,
    checking the bounds that keep every intermediate below 2^31."""
    hf = [round(float(c) * (1 << Q_TAPS)) for c in d.hf]
    hb = [round(float(c) * (1 << Q_TAPS)) for c in d.hb]
    if sum(abs(c) for c in hf + hb) >= ABS_SUM_LIMIT:
        raise ValueError("taps' absolute sum reaches 4.0: the kernel's accumulator could wrap")
    eq = getattr(d, "eq", None)
    b = round((1 - eq.a) * (1 << 15)) if eq is not None else 0
    g = round(eq.g * (1 << 12)) if eq is not None else EQ_MAX
    if eq is not None and not 1 <= b <= EQ_MAX:
        raise ValueError(f"equaliser corner out of the kernel's range: b={b} (Q15, 1-{EQ_MAX})")
    if not 0 <= g <= EQ_MAX:
        raise ValueError(f"equaliser gain {g / 4096:.3f} above the kernel's 1.0 (Q12 <= {EQ_MAX})")
    rate = d.geo.fs if isinstance(d, designs.Differential) else 16000
    return FixedDesign(d.name, rate, tuple(hf), tuple(hb), b, g)


def run(fd: FixedDesign, x: np.ndarray, back_gain_q14: "int | np.ndarray" = 1 << 14) -> np.ndarray:
    """The kernel's output for int16 input x (2, N): the bits the firmware produces, with the
    back microphone scaled by the calibration's gain (Q14; one, or one per sample)."""
    return KernelStream(fd).process(x, back_gain_q14)


class KernelStream:
    """The kernel block by block, its FIR history and equaliser state carried over, as the
    firmware runs it (one block per call)."""

    def __init__(self, fd: FixedDesign) -> None:
        self.fd = fd
        self.hf = np.array(fd.taps_front, np.int64)
        self.hb = np.array(fd.taps_back, np.int64)
        self.hist = np.zeros((2, max(len(self.hf), len(self.hb)) - 1), np.int64)
        self.s = 0

    def process(self, x: np.ndarray, back_gain_q14: "int | np.ndarray" = 1 << 14) -> np.ndarray:
        x = np.asarray(x, dtype=np.int64).copy()
        if np.any(np.asarray(back_gain_q14) != 1 << 14):
            x[1] = np.clip((x[1] * back_gain_q14 + (1 << 13)) >> 14, -32768, 32767)
        work = np.concatenate([self.hist, x], axis=1)
        n = x.shape[1]
        acc_i = np.convolve(work[0], self.hf)[len(self.hist[0]) : len(self.hist[0]) + n]
        acc_i = acc_i + np.convolve(work[1], self.hb)[len(self.hist[0]) : len(self.hist[0]) + n]
        if self.hist.shape[1]:
            self.hist = work[:, -self.hist.shape[1] :]
        fd = self.fd
        if fd.eq_b == 0:
            return np.asarray(np.clip((acc_i + (1 << 13)) >> 14, -32768, 32767).astype(np.int16))
        v = (acc_i + (1 << 12)) >> 13
        out = np.empty(len(v), dtype=np.int64)
        s = self.s
        b, g = fd.eq_b, fd.eq_g
        for t, vt in enumerate(v.tolist()):
            s = vt + s - ((b * s + (1 << 14)) >> 15)
            s = S_MAX if s > S_MAX else -S_MAX if s < -S_MAX else s
            out[t] = (g * s + (1 << 12)) >> 13
        self.s = s
        return np.asarray(np.clip(out, -32768, 32767).astype(np.int16))


class FixedKernel(designs.Design):
    """A float-in, float-out wrapper of the fixed-point kernel (full scale = 1.0), so the
    badge's exact arithmetic can be evaluated beside the float designs."""

    def __init__(self, fd: FixedDesign, back_gain_q14: int = 1 << 14, calibrate: bool = False,
                 name: str = "badge") -> None:  # fmt: skip
        self.fd = fd
        self.back_gain: int | np.ndarray = back_gain_q14
        self.calibrate = calibrate  # learn the gain as the device does, from the mix
        self.name = name

    @staticmethod
    def _int16(x: np.ndarray) -> np.ndarray:
        return np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return run(self.fd, self._int16(x), self.back_gain).astype(np.float64) / 32768

    def process(
        self, mix: np.ndarray, parts: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        if self.calibrate:  # the gains the device would have used on this mix, for every part
            from beamforming import calibration

            learnt = calibration.back_gains(self.fd, self._int16(mix))
            self.back_gain = learnt.per_sample(mix.shape[1])
        return super().process(mix, parts)
