"""Single-channel noise suppression after the beamformer (a postfilter).

Two microphones 17.5 mm apart give a first-order pattern at best: about 6 dB of directivity
against diffuse noise in the speech band, however the pair is steered. What is left of the
station's noise is steady (engines, traffic, ventilation), and a short-time spectral gain
removes steady noise well. Together the beamformer and this postfilter are the classic
decomposition of the multichannel Wiener filter: a spatial filter, then a spectral one.

The suppressor is causal, so it can run frame by frame on the badge:
- STFT: periodic Hann window of ``n`` samples, hop ``hop``, the signal padded with zeros at
  both ends so every sample is covered by full frames (overlap-add resynthesis with the
  window-sum normalisation: unity gains give back the input exactly);
- noise power per bin: minimum statistics (R. Martin, 2001), simplified: the periodogram is
  smoothed over frames, its minimum over the last ``window_s`` seconds times ``bias`` is the
  noise estimate (it follows a noise level change within ``window_s``; speech pauses of that
  length are what it needs);
- gain: the log-spectral amplitude estimator (Ephraim & Malah, 1985) with the decision-directed
  a priori SNR, limited below by ``floor_db`` so the residual noise stays natural (no musical
  tones) and the speech recogniser keeps the low-level consonants.

Shapes: ``apply`` takes (N,) and returns (N,); ``gains`` returns (n // 2 + 1, frames).
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, special
from scipy import signal as sps

from beamforming import designs
from crmsensor.protocol import wavfile

# exp(E1(v) / 2), the log-spectral amplitude estimator's correction, tabulated over log(v)
_LOG_V = np.linspace(np.log(1e-8), np.log(50.0), 4096)
_LSA = np.exp(0.5 * special.exp1(np.exp(_LOG_V)))


@dataclass(frozen=True)
class Suppressor:
    """A log-MMSE suppressor with a minimum-statistics noise estimate (see the module doc)."""

    fs: int = 16000
    n: int = 512
    hop: int = 128
    floor_db: float = -10.0
    dd_alpha: float = 0.98
    smooth: float = 0.85
    window_s: float = 1.5
    bias: float = 1.8

    def __post_init__(self) -> None:
        if self.n % self.hop or self.n < 2 * self.hop:
            raise ValueError(
                f"postfilter: n={self.n} must be a multiple of hop={self.hop}, at least twice it"
            )
        if not -40.0 <= self.floor_db <= 0.0:
            raise ValueError(f"postfilter: floor_db={self.floor_db} must be within [-40, 0] dB")

    def _stft(self, x: np.ndarray) -> np.ndarray:
        _, _, spec = sps.stft(
            x, self.fs, window="hann", nperseg=self.n, noverlap=self.n - self.hop,
            boundary="zeros", padded=True,
        )  # fmt: skip
        return np.asarray(spec)

    def _istft(self, spec: np.ndarray, length: int) -> np.ndarray:
        y = sps.istft(spec, self.fs, window="hann", nperseg=self.n, noverlap=self.n - self.hop,
                      boundary=True)[1]  # fmt: skip
        out = np.zeros(length)
        out[: min(length, len(y))] = y[:length]
        return out

    def noise_power(self, power: np.ndarray) -> np.ndarray:
        """Per-bin noise power (bins, frames) from the periodogram, causally."""
        smoothed = sps.lfilter([1 - self.smooth], [1, -self.smooth], power, axis=1)
        # The first frames have no history: start the smoother at the first periodogram.
        smoothed += power[:, :1] * self.smooth ** np.arange(1, power.shape[1] + 1)
        frames = max(1, round(self.window_s * self.fs / self.hop))
        # origin puts the window over the current and the previous frames only
        low = ndimage.minimum_filter1d(smoothed, frames, axis=1, origin=(frames - 1) // 2,
                                       mode="nearest")  # fmt: skip
        return np.asarray(low * self.bias)

    def gains(self, x: np.ndarray) -> np.ndarray:
        """The spectral gain per bin and frame for signal x (N,)."""
        power = np.abs(self._stft(x)) ** 2
        noise = np.maximum(self.noise_power(power), 1e-20)
        floor = 10 ** (self.floor_db / 20)
        g = np.empty_like(power)
        clean_prev = np.zeros(power.shape[0])
        for i in range(power.shape[1]):
            gamma = np.minimum(power[:, i] / noise[:, i], 1e4)
            # decision-directed a priori SNR: last frame's clean estimate and this frame's excess
            xi = self.dd_alpha * clean_prev / noise[:, i]
            xi = np.maximum(xi + (1 - self.dd_alpha) * np.maximum(gamma - 1, 0), 10 ** (-2.5))
            v = xi / (1 + xi) * gamma
            gi = xi / (1 + xi) * np.interp(np.log(np.maximum(v, 1e-8)), _LOG_V, _LSA)
            g[:, i] = np.clip(gi, floor, 1.0)
            clean_prev = g[:, i] ** 2 * power[:, i]
        return np.asarray(g)

    def apply_gains(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """x (N,) with the given gains (as from ``gains``) applied."""
        return self._istft(self._stft(x) * g, len(x))

    def apply(self, x: np.ndarray) -> np.ndarray:
        return self.apply_gains(x, self.gains(x))

    @classmethod
    def for_rate(cls, fs: int) -> "Suppressor":
        """The default suppressor at sample rate ``fs``: the same frame and hop in time."""
        scale = fs / cls.fs
        n = 1 << max(5, round(np.log2(cls.n * scale)))
        return cls(fs=fs, n=n, hop=n // (cls.n // cls.hop))

    def apply_long(self, x: np.ndarray, segment_s: float = 30.0) -> np.ndarray:
        """``apply`` in segments of ``segment_s`` (memory stays bounded on long recordings).
        Each segment starts ``window_s`` + 0.5 s early, so its noise estimate and a priori
        SNR have their history; only the segment's own samples are kept."""
        seg = max(self.n, int(segment_s * self.fs))
        warm = int((self.window_s + 0.5) * self.fs)
        out = np.empty(len(x))
        for start in range(0, len(x), seg):
            lead = min(start, warm)
            y = self.apply(x[start - lead : start + seg])
            out[start : start + seg] = y[lead:]
        return out


def enhance_pcm16(samples: np.ndarray, fs: int, floor_db: float = -10.0) -> np.ndarray:
    """The fleet's enhanced copy of a recording (fleet/recordings/enhance.py): int16 samples
    at ``fs`` in, the default suppressor for that rate (gain floor ``floor_db``) applied,
    int16 out."""
    x = np.asarray(samples, dtype=np.float64)
    if len(x):
        x = dataclasses.replace(Suppressor.for_rate(fs), floor_db=floor_db).apply_long(x)
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def ima_round_trip(x: np.ndarray, fs: int) -> np.ndarray:
    """x (N,) float in [-1, 1) as the badge uploads it: 16-bit, IMA ADPCM coded, decoded."""
    xi = np.clip(np.round(x * 32768), -32768, 32767).astype("<i2")
    decoded = wavfile.read(wavfile.ima_adpcm_wav(fs, xi.tobytes())).samples
    return np.frombuffer(decoded, "<i2") / 32768.0


class AtFleet(designs.Design):
    """What the fleet's enhanced copy of a badge recording is: the badge's kernel, IMA ADPCM as
    uploaded, then :func:`enhance_pcm16`. ``process`` codes the mix, computes the suppressor's
    gains on it and applies them to the decoded mix and to each (uncoded) part."""

    adaptive = True

    def __init__(self, beam: designs.Design, fs: int) -> None:
        self.beam = beam
        self.fs = fs
        self.suppressor = Suppressor.for_rate(fs)
        self.name = f"{beam.name}+fleet"

    def process(
        self, mix: np.ndarray, parts: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        y, ys = self.beam.process(mix, parts)
        coded = ima_round_trip(y, self.fs)
        g = self.suppressor.gains(coded)
        return self.suppressor.apply_gains(coded, g), [
            self.suppressor.apply_gains(p, g) for p in ys
        ]

    def apply(self, x: np.ndarray) -> np.ndarray:
        coded = ima_round_trip(self.beam.apply(x), self.fs)
        return enhance_pcm16(np.round(coded * 32768), self.fs) / 32768.0


class PostFiltered(designs.Design):
    """A beamformer followed by the suppressor. ``process`` applies the gains computed on the
    mix to each part as well, so speech and noise are measured through the same filter."""

    adaptive = True

    def __init__(self, beam: designs.Design, suppressor: Suppressor | None = None) -> None:
        self.beam = beam
        self.suppressor = suppressor or Suppressor()
        self.name = f"{beam.name}+postfilter"

    def process(
        self, mix: np.ndarray, parts: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        y, ys = self.beam.process(mix, parts)
        g = self.suppressor.gains(y)
        return self.suppressor.apply_gains(y, g), [self.suppressor.apply_gains(p, g) for p in ys]

    def apply(self, x: np.ndarray) -> np.ndarray:
        return self.process(x)[0]
