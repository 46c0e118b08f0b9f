"""Issue 8's goals for the flashing bench, on emulated badges (hil_tests/rig), one run:

1. Flashing a 2 MB MicroPython image (and the filesystem image) into the rig through
   ``crmsensor badge flash`` against bare ``esptool write-flash --compress`` of the same two
   images (same rig, same baud, ``--no-stub``; without ``--compress`` esptool sends ROM
   loaders everything uncompressed, 4x slower here): median of alternating runs, and the
   ratio (goal <= 1.2x). Ours also packs the badge's filesystem with its bundle and
   verifies both regions.
2. Eight rigs flashed in parallel by one ``crmsensor badge flash`` against one rig alone
   (goal <= 1.5x).

The rig paces its serial link at the negotiated baud (10 bits a byte each way), so a transfer
takes the time it would on a badge's UART; the figures are wall-clock seconds of the commands.

    .venv/bin/python benchmarks/flash_goals.py [--baud 921600] [--runs 3]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.fwtools import build, standin  # noqa: E402
from hil_tests.rig.server import Rig  # noqa: E402


def timed(argv: list[str]) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv[:6])}... failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}"
        )
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baud", default="921600")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--parallel", type=int, default=8)
    opts = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="flash-bench-"))
    fw = work / "ESP32_GENERIC_S3-standin.bin"
    fw.write_bytes(standin.firmware(app_kib=1900))  # a 2 MB release-sized binary
    built = build.load_or_build(fw, "x64", work / "build")
    vfs_img = work / "build" / "vfs.img"
    ours_args = [sys.executable, "-m", "cli.main", "badge", "flash", "--micropython", str(fw)]
    ours_args += ["--arch", "x64", "--no-stub", "--baud", opts.baud]
    ours_args += ["--build-dir", str(work / "build"), "--logs", str(work / "logs")]
    bare_args = [sys.executable, "-m", "esptool", "--chip", "esp32s3", "--no-stub"]
    bare_args += ["--baud", opts.baud]
    print(f"image: {fw.stat().st_size:,} bytes at 0x0 + {vfs_img.stat().st_size:,} bytes at "
          f"{built.vfs.offset:#x}; baud {opts.baud}", flush=True)  # fmt: skip

    rig = Rig(work / "rig")
    ours: list[float] = []
    bare: list[float] = []
    try:
        for i in range(opts.runs):
            bare.append(timed([*bare_args, "--port", rig.url, "write-flash", "--compress",
                               "0x0", str(fw), hex(built.vfs.offset), str(vfs_img)]))  # fmt: skip
            ours.append(timed([*ours_args, "--port", rig.url]))
            print(f"run {i + 1}: bare esptool {bare[-1]:.2f} s, crmsensor badge flash "
                  f"{ours[-1]:.2f} s", flush=True)  # fmt: skip
    finally:
        rig.close()
    t_ours, t_bare = statistics.median(ours), statistics.median(bare)

    rigs = [Rig(work / f"p{i}", mac=f"f412fa0001{i:02x}") for i in range(opts.parallel)]
    try:
        one = timed([*ours_args, "--port", rigs[0].url])
        many_args = [a for r in rigs for a in ("--port", r.url)]
        many = timed([*ours_args, *many_args])
    finally:
        for r in rigs:
            r.close()

    print("\n=== summary")
    print(f"2 MB image, median of {opts.runs}: crmsensor badge flash {t_ours:.2f} s, bare esptool "
          f"{t_bare:.2f} s; ours / esptool = {t_ours / t_bare:.2f}x (goal <= 1.2x)")  # fmt: skip
    print(f"{opts.parallel} rigs in parallel {many:.2f} s, one rig {one:.2f} s; "
          f"ratio {many / one:.2f}x (goal <= 1.5x)")  # fmt: skip


if __name__ == "__main__":
    main()
