"""Word error rate with pocketsphinx (its wheel carries an English model) on the LibriVox
utterances of pocketsphinx-testdata, whose transcripts ship with them. A fresh decoder per
utterance keeps the numbers repeatable (the decoder adapts as it goes)."""

import re
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder

from beamforming.signals import LIBRIVOX


def transcripts() -> dict[Path, str]:
    """Utterance WAV -> its words (lower case)."""
    out = {}
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        m = re.match(r"<s>(.*)</s>\s*\((.+)\)", line.strip())
        if m:
            out[LIBRIVOX / f"{m.group(2)}.wav"] = m.group(1).strip().lower()
    return out


def recognise(x: np.ndarray, fs: int = 16000) -> str:
    """pocketsphinx's hypothesis for float audio x (normalised to -26 dBFS first)."""
    x = x / (np.sqrt(np.mean(x**2)) + 1e-12) * 10 ** (-26 / 20)
    pcm = np.clip(np.round(x * 32768), -32768, 32767).astype("<i2").tobytes()
    d = Decoder(samprate=fs, loglevel="FATAL")
    d.start_utt()
    d.process_raw(pcm, full_utt=True)
    d.end_utt()
    hyp = d.hyp()
    return hyp.hypstr.lower() if hyp is not None else ""


def edits(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def wer(pairs: list[tuple[str, str]]) -> float:
    """Total word errors over total reference words, for (reference, hypothesis) pairs."""
    errors = sum(edits(r.split(), h.split()) for r, h in pairs)
    words = sum(len(r.split()) for r, _ in pairs)
    return errors / max(words, 1)
