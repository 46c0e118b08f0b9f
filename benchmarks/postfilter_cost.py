"""What a postfilter would cost on the badge: callgrind counts a fixed-point radix-2 FFT in
viper (benchmarks/mp_fft_cost.py) on the MicroPython unix port, and the badge's shipped
beamformer kernel in the same run (the peer: the kernel the 10% budget already pays for).

The suppressor of beamforming/postfilter.py needs, per hop, one forward and one inverse real
FFT of n points. Computed with an n/2-point complex FFT each (the split step and all the
per-bin gain work are not counted), that is 2 x C(n/2) per hop: a lower bound on its cost.

    .venv/bin/python benchmarks/postfilter_cost.py
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools.fwtools.runner import callgrind_total, micropython_binary, micropython_env  # noqa: E402

CORE_HZ = 240e6
BUDGET = 0.10
FS = 16000
REPS = 400


def fft_instructions(n: int, reps: int, out: Path) -> int:
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", micropython_binary(),
           str(HERE / "mp_fft_cost.py"), str(n), str(reps)]  # fmt: skip
    run = subprocess.run(cmd, env=micropython_env(), capture_output=True, text=True)
    if run.returncode != 0 or "done" not in run.stdout:
        raise SystemExit(f"fft {n}: {run.stdout}\n{run.stderr[-2000:]}")
    _, bin_re, bin_im = run.stdout.split("\n")[0].split()
    # A 8000-amplitude tone in bin 5, halved per stage: its bin is -4000j.
    if abs(int(bin_re)) > 8 or abs(int(bin_im) + 4000) > 8:
        raise SystemExit(f"fft {n}: wrong spectrum ({bin_re}, {bin_im}), not -4000j")
    return callgrind_total(out)


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found: apt-get install valgrind (./bootstrap.sh test does)")
    import badge_dsp_cost

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        per_fft = {}
        for half in (128, 256):
            base = fft_instructions(half, 0, folder / "a.out")
            per_fft[half] = (fft_instructions(half, REPS, folder / "b.out") - base) / REPS
        kernel = badge_dsp_cost.kernel_cost(folder)
    print(f"badge kernel (beam + calibration), the peer: {kernel / 1e6:.2f} M instructions per "
          f"audio second, {100 * kernel / CORE_HZ:.1f}% of a 240 MHz core")  # fmt: skip
    for n, hop in ((512, 128), (512, 256), (256, 128)):
        c = per_fft[n // 2]
        per_s = 2 * c * FS / hop
        both = 100 * (per_s + kernel) / CORE_HZ
        print(f"postfilter n={n} hop={hop}: complex FFT({n // 2}) {c / 1e3:.0f}k instructions; "
              f">= {per_s / 1e6:.1f} M per audio second, >= {100 * per_s / CORE_HZ:.1f}% of a "
              f"core, >= {per_s / kernel:.1f}x the kernel; kernel and postfilter together "
              f">= {both:.1f}% (budget {100 * BUDGET:.0f}%)")  # fmt: skip


if __name__ == "__main__":
    main()
