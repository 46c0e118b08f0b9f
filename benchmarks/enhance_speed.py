"""How fast the fleet makes a recording's enhanced copy (fleet/recordings/enhance.py), in
real time per core: a 60 s IMA ADPCM recording of real speech in station noise (the badge
kernel's output on the reference scene, repeated), decoded, suppressed and written as PCM.
The peer, from the same run, is the decode alone (wavfile.read), which the fleet pays for any
use of the recording.

    .venv/bin/python benchmarks/enhance_speed.py
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from beamforming import evaluate, scene
from benchmarks.common import median
from crmsensor.protocol import wavfile
from fleet.recordings.enhance import enhance_wav

SECONDS = 60
RUNS = 5


def recording() -> bytes:
    sc = scene.load(
        Path(__file__).resolve().parent.parent / "beamforming/scenes/station_reference.toml"
    )
    r = scene.render(sc)
    y = evaluate.methods(r)["badge"]().apply(r.mix)
    reps = int(np.ceil(SECONDS * sc.fs / len(y)))
    x = np.tile(y, reps)[: SECONDS * sc.fs]
    xi = np.clip(np.round(x * 32768), -32768, 32767).astype("<i2")
    return wavfile.ima_adpcm_wav(sc.fs, xi.tobytes())


def timed(fn: object, data: bytes) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn(data)  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return median(times)


def main() -> None:
    data = recording()
    enhance = timed(enhance_wav, data)
    decode = timed(wavfile.read, data)
    print(f"{SECONDS} s recording, median of {RUNS} runs")
    print(f"  enhanced copy   {enhance * 1000:8.1f} ms   {SECONDS / enhance:8.1f} x real time")
    print(f"  decode only     {decode * 1000:8.1f} ms   {SECONDS / decode:8.1f} x real time")
    print(f"  enhance / decode: {enhance / decode:.1f}x")
    print(f"  one core makes an hour of recordings' copies in {3600 / (SECONDS / enhance):.0f} s")


if __name__ == "__main__":
    main()
