"""Issue 8's goals for the flashing bench, on emulated badges (devtools/rig), one run:

1. Flashing a 2 MB MicroPython image (and the filesystem image) into the rig through
   ``crmsensor badge flash`` against bare ``esptool write-flash --compress`` of the same two
   images (same rig, same baud, ``--no-stub``; without ``--compress`` esptool sends ROM
   loaders everything uncompressed, 4x slower here): median of alternating runs, and the
   ratio (goal <= 1.2x). Ours also packs the badge's filesystem with its bundle and
   verifies both regions.
2. Eight rigs flashed in parallel by one ``crmsensor badge flash`` against one rig alone
   (goal <= 1.5x).
3. (issue 18) esptool's default path, its stub flasher at 460800 baud, against the ROM alone
   (``--no-stub``) at 115200, for the same 2 MB image (``write-flash``, compressed, verified
   by MD5, then the rig's flash compared byte for byte): goal >= 3x faster. ``--stub-runs``
   pairs (the ROM run takes about 2.5 minutes).

The rig paces its serial link at the negotiated baud (10 bits a byte each way), so a transfer
takes the time it would on a badge's UART; the figures are wall-clock seconds of the commands.

    .venv/bin/python benchmarks/flash_goals.py [--baud 921600] [--runs 3] [--stub-runs 1]
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
from devtools.rig.server import Rig  # noqa: E402


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
    ap.add_argument("--stub-runs", type=int, default=1)
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

    stub_s, rom_s = stub_against_rom(fw, work, opts.stub_runs)

    print("\n=== summary")
    print(f"2 MB image, median of {opts.runs}: crmsensor badge flash {t_ours:.2f} s, bare esptool "
          f"{t_bare:.2f} s; ours / esptool = {t_ours / t_bare:.2f}x (goal <= 1.2x)")  # fmt: skip
    print(f"{opts.parallel} rigs in parallel {many:.2f} s, one rig {one:.2f} s; "
          f"ratio {many / one:.2f}x (goal <= 1.5x)")  # fmt: skip
    print(f"2 MB image, median of {opts.stub_runs}: esptool's stub at 460800 {stub_s:.2f} s, "
          f"ROM (--no-stub) at 115200 {rom_s:.2f} s; ROM / stub = {rom_s / stub_s:.2f}x "
          "(goal >= 3x)")  # fmt: skip


def stub_against_rom(fw: Path, work: Path, runs: int) -> tuple[float, float]:
    """Median seconds of esptool write-flash with its stub at 460800 and with the ROM alone
    at 115200, on fresh rigs; each result checked byte for byte."""
    image = fw.read_bytes()
    timings: dict[str, list[float]] = {"stub": [], "rom": []}
    for i in range(runs):
        for kind, extra in (
            ("stub", ["--baud", "460800"]),
            ("rom", ["--baud", "115200", "--no-stub"]),
        ):
            rig = Rig(work / f"g3-{kind}-{i}")
            try:
                argv = [sys.executable, "-m", "esptool", "--chip", "esp32s3", *extra]
                argv += ["--port", rig.url, "write-flash", "0x0", str(fw)]
                timings[kind].append(timed(argv))
                if rig.flash.read(0, len(image)) != image:
                    raise SystemExit(f"{kind}: the rig's flash does not hold the image")
            finally:
                rig.close()
            print(f"stub/ROM run {i + 1}: {kind} {timings[kind][-1]:.2f} s", flush=True)
    return statistics.median(timings["stub"]), statistics.median(timings["rom"])


if __name__ == "__main__":
    main()
