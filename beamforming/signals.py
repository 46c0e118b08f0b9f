"""Source signals for scenes: real speech from Debian packages, and noises of a gas station.

``speech:PATH`` (a WAV, looped with pauses to the scene's length), ``noise:KIND`` with KIND one
of white, pink, brown, engine (an idling engine: firing harmonics on a rumble, slowly
modulated), babble (six talkers from pocketsphinx-testdata and codec2-examples), or a plain WAV
path. Every signal comes back at the scene's rate, unit RMS, exactly ``n`` samples.
"""

from math import gcd
from pathlib import Path

import numpy as np
from scipy import signal as sps

from beamforming import wavio
from crmsensor.errors import UserError

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
CODEC2 = Path("/usr/share/codec2/wav")
NOISES = ("white", "pink", "brown", "engine", "babble")


class SignalError(UserError, ValueError):
    """A signal spec that cannot be made (bad kind, missing or unreadable file)."""


def read_wav(path: Path, fs: int) -> np.ndarray:
    """A WAV file (any format :mod:`beamforming.wavio` reads) as float mono at ``fs``
    (channels averaged, resampled)."""
    try:
        x2, rate = wavio.read(path)
    except wavio.WavError as e:
        raise SignalError(str(e)) from None
    x = x2.mean(axis=0)
    if rate != fs:
        g = gcd(rate, fs)
        x = sps.resample_poly(x, fs // g, rate // g)
    return np.asarray(x)


def check(spec: str, base: Path) -> None:
    """Raise SignalError for a spec that :func:`make` would refuse, reading only WAV headers:
    an unknown noise, or a file that is missing or in a format that cannot be read (for
    babble, every talker it may pick)."""
    if spec.startswith("noise:"):
        kind = spec[6:]
        if kind not in NOISES:
            raise SignalError(f"unknown noise {kind!r} (one of {', '.join(NOISES)})")
        paths = speech_files() if kind == "babble" else []
    else:
        path = Path(spec[7:] if spec.startswith("speech:") else spec)
        paths = [path if path.is_absolute() else base / path]
    for p in paths:
        try:
            wavio.probe(p)
        except wavio.WavError as e:
            raise SignalError(str(e)) from None


def _unit(x: np.ndarray) -> np.ndarray:
    rms = float(np.sqrt(np.mean(x**2)))
    if rms == 0:
        raise SignalError("signal is silent")
    return x / rms


def _fit(x: np.ndarray, n: int, fs: int, pause_s: float = 0.0) -> np.ndarray:
    # Loop x (with a pause between repeats) to exactly n samples.
    if pause_s:
        x = np.concatenate([x, np.zeros(int(pause_s * fs))])
    reps = int(np.ceil(n / len(x)))
    return np.tile(x, reps)[:n]


def _colored(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    spec = np.fft.rfft(rng.normal(0, 1, n))
    f = np.arange(len(spec), dtype=float)
    f[0] = 1.0
    spec /= f ** (exponent / 2)
    spec[0] = 0
    return np.fft.irfft(spec, n)


def _engine(rng: np.random.Generator, n: int, fs: int) -> np.ndarray:
    # Idling four-cylinder engine: firing frequency ~25-30 Hz with decaying harmonics,
    # a little speed wander, over low-passed rumble.
    t = np.arange(n) / fs
    f0 = rng.uniform(24, 30) * (1 + 0.02 * np.sin(2 * np.pi * 0.3 * t))
    phase = 2 * np.pi * np.cumsum(f0) / fs
    x = sum(np.sin(k * phase + rng.uniform(0, 6.3)) / k**0.7 for k in range(1, 40))
    b, a = sps.butter(2, 400 / (fs / 2))
    rumble = sps.lfilter(b, a, rng.normal(0, 1, n))
    return np.asarray(_unit(np.asarray(x)) + 0.5 * _unit(rumble))


def speech_files() -> list[Path]:
    """Talkers for babble and default speech: LibriVox and codec2 examples."""
    files = sorted(LIBRIVOX.glob("*.wav")) + sorted(CODEC2.glob("*.wav"))
    if not files:
        raise SignalError(
            "no speech found: install pocketsphinx-testdata and codec2-examples "
            "(./bootstrap.sh test does)"
        )
    return files


def _babble(rng: np.random.Generator, n: int, fs: int) -> np.ndarray:
    files = speech_files()
    out = np.zeros(n)
    for k in rng.choice(len(files), size=6, replace=False):
        x = _fit(read_wav(files[k], fs), n + fs, fs, pause_s=0.3)
        start = int(rng.integers(0, fs))
        out += _unit(x[start : start + n])
    return out


def make(spec: str, n: int, fs: int, rng: np.random.Generator, base: Path) -> np.ndarray:
    """The signal ``spec`` describes, unit RMS, n samples (relative paths from ``base``)."""
    if spec.startswith("noise:"):
        kind = spec[6:]
        if kind == "white":
            x = rng.normal(0, 1, n)
        elif kind == "pink":
            x = _colored(rng, n, 1.0)
        elif kind == "brown":
            x = _colored(rng, n, 2.0)
        elif kind == "engine":
            x = _engine(rng, n, fs)
        elif kind == "babble":
            x = _babble(rng, n, fs)
        else:
            raise SignalError(f"unknown noise {kind!r} (one of {', '.join(NOISES)})")
        return _unit(x)
    path = Path(spec[7:] if spec.startswith("speech:") else spec)
    if not path.is_absolute():
        path = base / path
    x = read_wav(path, fs)
    return _unit(_fit(x, n, fs, pause_s=0.5 if spec.startswith("speech:") else 0.0))
