"""16-bit WAV files for the toolkit's outputs."""

import wave
from pathlib import Path

import numpy as np


def write(path: Path, x: np.ndarray, fs: int) -> Path:
    """Write x (channels, N) in -1..1 as 16-bit PCM (clipped)."""
    pcm = np.clip(np.round(np.atleast_2d(x).T * 32768), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(fs)
        w.writeframes(pcm.tobytes())
    return path
