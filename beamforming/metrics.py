"""Quality metrics of a beamformer's output against the clean target at the reference
microphone. Gains are relative to the single (front) microphone, measured the same way."""

import numpy as np
from pystoi import stoi as _stoi
from scipy import signal as sps


def delay_of(ref: np.ndarray, est: np.ndarray, max_lag: int = 1024) -> int:
    """The delay (samples, 0..max_lag) of est against ref: designs add some (an FIR's group
    delay, pyroomacoustics' MVDR its 30 ms)."""
    c = sps.correlate(est, ref, mode="full", method="fft")
    mid = len(ref) - 1
    return int(np.argmax(np.abs(c[mid : mid + max_lag + 1])))


def shift(x: np.ndarray, lag: int) -> np.ndarray:
    """x advanced by lag samples (zero-padded at the end)."""
    return np.concatenate([x[lag:], np.zeros(lag)]) if lag else x


def snr_db(speech: np.ndarray, noise: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(speech**2) / max(np.sum(noise**2), 1e-30)))


def si_sdr_db(ref: np.ndarray, est: np.ndarray) -> float:
    """Scale-invariant signal-to-distortion ratio (Le Roux et al. 2019)."""
    ref = ref - ref.mean()
    est = est - est.mean()
    a = float(np.dot(est, ref) / np.dot(ref, ref))
    target = a * ref
    return float(10 * np.log10(np.sum(target**2) / max(np.sum((est - target) ** 2), 1e-30)))


def stoi(ref: np.ndarray, est: np.ndarray, fs: int) -> float:
    return float(_stoi(ref, est, fs, extended=False))


def pesq_wb(ref: np.ndarray, est: np.ndarray, fs: int) -> float | None:
    """Wide-band PESQ (MOS-LQO) where it is valid: 16 kHz, and speech the model finds;
    None otherwise."""
    if fs != 16000:
        return None
    from pesq import PesqError, pesq

    try:
        return float(pesq(fs, ref, est, "wb"))
    except PesqError:
        return None


def level_db(x: np.ndarray) -> float:
    return float(10 * np.log10(max(np.mean(x**2), 1e-30)))


def directivity_index_db(response, f: float) -> float:  # type: ignore[no-untyped-def]
    """Directivity index of an axisymmetric pattern: the look direction's power over the
    average over the sphere. ``response(f, theta)`` is the complex far-field response."""
    th = np.linspace(0, np.pi, 721)
    p = np.array([abs(response(f, t)) ** 2 for t in th])
    return float(10 * np.log10(p[0] / (0.5 * np.trapezoid(p * np.sin(th), th))))


def white_noise_gain_db(hf: np.ndarray, hb: np.ndarray, look: complex, f: float, fs: int,
                        post: complex = 1.0) -> float:  # fmt: skip
    """Array gain against uncorrelated microphone noise at f: |look response|^2 over the
    output power of unit white noise at each microphone (through the same post filter)."""
    z = np.exp(-2j * np.pi * f / fs)
    noise = (abs(np.polyval(hf[::-1], z)) ** 2 + abs(np.polyval(hb[::-1], z)) ** 2) * abs(post) ** 2
    return float(10 * np.log10(abs(look) ** 2 / noise))
