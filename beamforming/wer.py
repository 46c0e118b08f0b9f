"""Word error rate with pocketsphinx (its wheel carries an English model) on the LibriVox
utterances of pocketsphinx-testdata, whose transcripts ship with them. A fresh decoder per
utterance keeps the numbers repeatable (the decoder adapts as it goes)."""

import dataclasses
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pocketsphinx import Decoder

from beamforming.signals import LIBRIVOX

if TYPE_CHECKING:
    from beamforming import scene


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


@dataclass(frozen=True)
class Protocol:
    """How the word error rate of a scene is measured: each LibriVox utterance becomes the
    wearer's speech, the scene is rendered at ``input_snr_db`` once per noise seed (the engine's
    speed, the noise and the babble change with the seed), and every method's output is
    decoded. With ``customer=False`` the customer is silent while the wearer speaks (people
    take turns); with True the customer talks over the wearer the whole time."""

    input_snr_db: float = 5.0
    seeds: tuple[int, ...] = tuple(range(1, 9))
    customer: bool = False


def check_methods(methods: list[str]) -> None:
    """Raise ValueError naming any method that is neither ``clean`` nor one of eval's."""
    from beamforming import evaluate

    evaluate.check_names(m for m in methods if m != "clean")


def word_error_rates(
    sc: "scene.Scene", methods: list[str], protocol: Protocol = Protocol(), workers: int = 1
) -> dict[str, dict[str, Any]]:
    """{method: {"wer": total, "per_seed": [...], "words": n}} over the protocol's renders.
    ``methods`` are ``beam eval``'s method names, plus ``clean`` (the wearer's speech at the
    front microphone without noise)."""
    check_methods(methods)
    jobs = [(sc, methods, protocol, seed) for seed in protocol.seeds]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            per_seed = list(pool.map(_one_seed, jobs))
    else:
        per_seed = [_one_seed(j) for j in jobs]
    out: dict[str, dict[str, Any]] = {}
    for name in methods:
        pairs = [p for seed in per_seed for p in seed[name]]
        out[name] = {
            "wer": wer(pairs),
            "per_seed": [round(wer(seed[name]), 3) for seed in per_seed],
            "words": sum(len(r.split()) for r, _ in pairs),
        }
    return out


def _one_seed(job: tuple) -> dict[str, list[tuple[str, str]]]:  # type: ignore[type-arg]
    from beamforming import evaluate, scene, signals

    sc, methods, protocol, seed = job
    if not protocol.customer:
        sc = dataclasses.replace(sc, sources=tuple(s for s in sc.sources if s.role != "customer"))
    pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in methods}
    for path, words in transcripts().items():
        n = len(signals.read_wav(path, sc.fs))
        sources = tuple(dataclasses.replace(s, signal=f"speech:{path}") if s.role == "target"
                        else s for s in sc.sources)  # fmt: skip
        at = dataclasses.replace(sc, sources=sources, input_snr_db=protocol.input_snr_db,
                                 duration_s=n / sc.fs, seed=seed)  # fmt: skip
        r = scene.render(at)
        table = evaluate.methods(r)
        for name in methods:
            y = r.reference if name == "clean" else table[name]().apply(r.mix)
            pairs[name].append((words, recognise(y)))
    return pairs
