"""Two-microphone beamformers behind one interface.

Every design takes the microphone signals as a float array of shape (2, N), row 0 the front
microphone (nearest the mouth, the reference), row 1 the back one, and returns (N,).
``process(mix, parts)`` also runs each part (target, noise, ...) through *the same* filter,
frozen where the design adapts, so speech and noise can be measured apart.

Geometry: endfire, the look direction along the array axis towards the front microphone;
``tau`` is the inter-microphone delay d / c in samples.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import signal as sps

C = 343.0


@dataclass(frozen=True)
class Geometry:
    """Spacing (m), sample rate, and the mouth's distance from the array centre (m)."""

    spacing_m: float = 0.0175
    fs: int = 16000
    target_distance_m: float = 0.18

    @property
    def tau(self) -> float:
        return self.spacing_m / C * self.fs


def lagrange(delay: float, ntaps: int = 4) -> np.ndarray:
    """Fractional-delay FIR by Lagrange interpolation (delay in samples, best in the middle)."""
    k = np.arange(ntaps)
    h = np.ones(ntaps)
    for m in range(ntaps):
        mask = k != m
        h[mask] *= (delay - m) / (k[mask] - m)
    return h


def sinc_delay(delay: float, ntaps: int = 33) -> np.ndarray:
    """Windowed-sinc fractional delay (the long reference for the Lagrange taps)."""
    n = np.arange(ntaps)
    return np.asarray(np.sinc(n - delay) * np.kaiser(ntaps, 8.0))


def _fir2(x: np.ndarray, hf: np.ndarray, hb: np.ndarray) -> np.ndarray:
    return np.asarray(sps.lfilter(hf, 1.0, x[0]) + sps.lfilter(hb, 1.0, x[1]))


class Design:
    """Base: a linear, time-invariant design implements ``apply``."""

    name = "design"
    adaptive = False

    def apply(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def process(
        self, mix: np.ndarray, parts: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        return self.apply(mix), [self.apply(p) for p in parts]


class SingleMic(Design):
    """The front microphone alone (the baseline every gain is measured against)."""

    name = "single"

    def apply(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x[0].copy())


class DelayAndSum(Design):
    """Front delayed by tau (4-tap Lagrange), averaged with the back: the firmware's default."""

    name = "das"

    def __init__(self, geo: Geometry) -> None:
        self.hf = 0.5 * lagrange(1 + geo.tau)
        self.hb = np.array([0.0, 0.5, 0.0, 0.0])

    def apply(self, x: np.ndarray) -> np.ndarray:
        return _fir2(x, self.hf, self.hb)


PATTERNS = {"cardioid": 0.0, "supercardioid": 0.2679, "hypercardioid": 0.5}


@dataclass
class LowShelfEq:
    """The differential array's low-frequency equalisation: a leaky integrator
    y[n] = g * (x[n] + a * y[n-1]). ``a`` sets how far down the boost reaches (and so the
    white noise gain at low frequencies); ``g`` makes the look direction unity at 1 kHz."""

    a: float
    g: float

    def apply(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(sps.lfilter([self.g], [1.0, -self.a], x))


class Differential(Design):
    """First-order differential array (Elko): forward and backward cardioids from the two
    microphones with a fractional delay of tau, y = c_F - beta * c_B, then the low-frequency
    equaliser. beta = 0 cardioid, 0.268 supercardioid, 0.5 hypercardioid. As two FIRs:
    front = delta_1 + beta * L, back = -L - beta * delta_1, L the Lagrange delay of 1 + tau.
    ``corner_hz`` sets the equaliser's leak (a = exp(-2 pi corner / fs)): lower reaches
    further down and amplifies uncorrelated (self, wind) noise more: that is the white-noise
    gain limit."""

    def __init__(self, geo: Geometry, pattern: str = "supercardioid", corner_hz: float = 200.0,
                 delay: str = "lagrange") -> None:  # fmt: skip
        self.name = pattern
        self.beta = PATTERNS[pattern]
        self.geo = geo
        lag = lagrange(1 + geo.tau) if delay == "lagrange" else sinc_delay(16 + geo.tau)
        d1 = np.zeros(len(lag))
        d1[1 if delay == "lagrange" else 16] = 1.0
        self.hf = d1 + self.beta * lag
        self.hb = -lag - self.beta * d1
        a = float(np.exp(-2 * np.pi * corner_hz / geo.fs))
        self.eq = LowShelfEq(a, 1.0)
        self.eq.g = 1.0 / abs(self.response(1000.0, 0.0))

    def response(self, f: float, theta: float, distance: float | None = None) -> complex:
        """Complex response to a source at angle theta (radians from the look direction),
        far field, or at ``distance`` metres (spherical waves)."""
        w = 2 * np.pi * f / self.geo.fs
        d = self.geo.spacing_m
        if distance is None:
            lag = np.array([0.5, -0.5]) * d * np.cos(theta) / C * self.geo.fs
            amp = np.ones(2)
        else:
            src = distance * np.array([np.cos(theta), np.sin(theta)])
            mics = np.array([[d / 2, 0.0], [-d / 2, 0.0]])
            r = np.linalg.norm(mics - src, axis=1)
            lag = -(r - distance) / C * self.geo.fs
            amp = distance / r
        hf = np.polyval(self.hf[::-1], np.exp(-1j * w))
        hb = np.polyval(self.hb[::-1], np.exp(-1j * w))
        y = amp[0] * np.exp(1j * w * lag[0]) * hf + amp[1] * np.exp(1j * w * lag[1]) * hb
        eq = self.eq.g / (1 - self.eq.a * np.exp(-1j * w))
        return complex(y * eq)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return self.eq.apply(_fir2(x, self.hf, self.hb))


def diffuse_coherence(f: np.ndarray, spacing_m: float) -> np.ndarray:
    return np.asarray(np.sinc(2 * f * spacing_m / C))


def nearfield_steering(f: np.ndarray, geo: Geometry) -> np.ndarray:
    """(F, 2) relative transfer of a source on the axis at the target distance (front = 1)."""
    r = geo.target_distance_m
    rf, rb = r - geo.spacing_m / 2, r + geo.spacing_m / 2
    d = np.stack([np.ones_like(f, dtype=complex),
                  rf / rb * np.exp(-2j * np.pi * f * (rb - rf) / C)], axis=1)  # fmt: skip
    return d


class Superdirective(Design):
    """Fixed MVDR against a spherically diffuse noise field (superdirective), per STFT bin,
    steered to the mouth in the near field, with diagonal loading ``mu`` (limits the white
    noise gain): w = (G + mu I)^-1 d / (d^H (G + mu I)^-1 d)."""

    name = "superdirective"

    def __init__(self, geo: Geometry, mu: float = 0.01, nfft: int = 512) -> None:
        self.geo, self.mu, self.nfft = geo, mu, nfft
        f = np.fft.rfftfreq(nfft, 1 / geo.fs)
        g = diffuse_coherence(f, geo.spacing_m)
        d = nearfield_steering(f, geo)
        self.w = np.zeros((len(f), 2), dtype=complex)
        for k in range(len(f)):
            r = np.array([[1 + mu, g[k]], [g[k], 1 + mu]])
            ri = np.linalg.solve(r, d[k])
            self.w[k] = ri / (d[k].conj() @ ri)

    def apply(self, x: np.ndarray) -> np.ndarray:
        n = x.shape[1]
        _, _, z = sps.stft(x, nperseg=self.nfft, noverlap=self.nfft // 2)
        y = np.einsum("fk,kft->ft", self.w.conj(), z)
        _, out = sps.istft(y, nperseg=self.nfft, noverlap=self.nfft // 2)
        return np.asarray(out[:n])
