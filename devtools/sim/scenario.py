"""Scenarios for the simulated badge (firmware/crms/boards/sim.py): what its two
microphones hear, how its accelerometer moves and when it goes on charge.

Speech is real: LibriVox utterances from Debian's pocketsphinx-testdata. The wearer's mouth is
on the badge's axis (endfire), so the front microphone hears it ``spacing / c`` earlier than
the back one; a quiet diffuse background (pink, with the two-microphone coherence of a
diffuse field) and the microphones' own self noise sit under it.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from beamforming import signals, wavio
from beamforming.scene import diffuse_noise
from devtools.sim import accel

SPEECH_DIR = signals.LIBRIVOX
SPEED_OF_SOUND = 343.0


def speech_files() -> list[Path]:
    """The LibriVox utterances (16 kHz mono) the scenarios speak."""
    files = sorted(SPEECH_DIR.glob("*.wav"))
    if not files:
        raise FileNotFoundError(
            f"no speech in {SPEECH_DIR}: install Debian's pocketsphinx-testdata "
            "(./bootstrap.sh test does)"
        )
    return files


def fractional_delay(x: np.ndarray, delay: float) -> np.ndarray:
    """x delayed by ``delay`` samples (exact in the frequency domain, circular padding)."""
    n = len(x) + 64
    spectrum = np.fft.rfft(x, n)
    w = np.fft.rfftfreq(n) * 2 * np.pi
    return np.fft.irfft(spectrum * np.exp(-1j * w * delay), n)[: len(x)]


@dataclass
class Scenario:
    """What the scenario files hold, and the truth for checking the badge against."""

    folder: Path
    worn: list[tuple[float, float]] = field(default_factory=list)  # (start_s, end_s)
    speech: list[tuple[float, float]] = field(default_factory=list)  # (start_s, end_s)
    duration_s: float = 0.0
    charge_at_s: float | None = None

    @property
    def path(self) -> Path:
        return self.folder / "scenario.json"


def build(
    folder: Path,
    segments: list[tuple[str, float]],
    charge_at_s: float | None,
    speed: float = 1.0,
    seed: int = 1,
    rate: int = 16000,
    spacing_mm: float = 17.5,
    speech_dbfs: float = -20.0,
    noise_dbfs: float = -50.0,
    storage_kb: int | None = None,
    extra: dict[str, Any] | None = None,
) -> Scenario:
    """Write world.wav, accel.csv and scenario.json into ``folder``.

    ``segments`` are accelerometer trace segments (devtools.sim.accel kinds); the wearer
    speaks (utterances with 1-4 s pauses) only while the badge is worn."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    trace = accel.trace(segments, seed=seed)
    trace.write_csv(folder / "accel.csv")
    duration = len(trace.worn) / trace.rate
    n = int(duration * rate)
    mouth = np.zeros(n)
    speech: list[tuple[float, float]] = []
    files = speech_files()
    worn = [(a, b) for a, b, w in trace.segments() if w]
    for a, b in worn:
        t = a + 1.0
        while True:
            utt = signals.read_wav(files[int(rng.integers(len(files)))], rate)
            if t + len(utt) / rate > b - 0.5:
                break
            i = int(t * rate)
            mouth[i : i + len(utt)] += utt / (np.sqrt(np.mean(utt**2)) + 1e-12)
            speech.append((t, t + len(utt) / rate))
            t += len(utt) / rate + rng.uniform(1.0, 4.0)
    mouth *= 10 ** (speech_dbfs / 20)
    tau = spacing_mm / 1000 / SPEED_OF_SOUND * rate
    front = mouth
    back = fractional_delay(mouth, tau)

    # Background sound is diffuse (coherent between microphones 17.5 mm apart at low
    # frequencies, as beamforming.scene models it); only the microphones' own self noise
    # (about -90 dBFS for a 65 dB SNR MEMS microphone) is independent.
    def pink() -> np.ndarray:
        return signals.make("noise:pink", n, rate, rng, folder)

    bg = diffuse_noise(pink(), pink(), spacing_mm / 1000, rate) * 10 ** (noise_dbfs / 20)
    self_noise = rng.normal(0, 10 ** (-90 / 20), (2, n))
    wavio.write(folder / "world.wav", np.stack([front, back]) + bg + self_noise, rate)
    timeline: list[list[Any]] = [[0, {"charging": False, "wifi": True}]]
    if charge_at_s is not None:
        timeline.append([charge_at_s, {"charging": True}])
    doc: dict[str, Any] = {
        "audio": "world.wav",
        "accel": "accel.csv",
        "accel_rate_hz": trace.rate,
        "speed": speed,
        "timeline": timeline,
        "storage_dir": "sd",
    }
    if storage_kb is not None:
        doc["storage_kb"] = storage_kb
    doc.update(extra or {})
    (folder / "scenario.json").write_text(json.dumps(doc, indent=1))
    return Scenario(folder, worn, speech, duration, charge_at_s)
