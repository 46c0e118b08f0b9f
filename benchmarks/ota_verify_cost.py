"""Issue 19's goal for a release's signature check on the badge: what it costs to check a
300 KB bundle (RSA-2048 PKCS#1 v1.5 over SHA-256, firmware/crms/signature.py) under the real
MicroPython unix port, counted with valgrind's callgrind as the DSP budget is
(benchmarks/badge_dsp_cost.py), converted to seconds on a 240 MHz core at one instruction per
cycle; and the heap's peak with the badge's 192k heap.

Three runs, differenced: keys and signature loaded only; plus the bundle's SHA-256 in 4 KB
reads; plus the RSA check. On the ESP32-S3 the SHA-256 runs in its hardware accelerator, so
the hashing figure here (software, on x86) is an upper bound.

    .venv/bin/python benchmarks/ota_verify_cost.py [--kb 300]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from crmsensor import release_keys as rk  # noqa: E402
from devtools.fwtools.runner import callgrind_total, micropython_binary, micropython_env  # noqa: E402

CORE_HZ = 240e6
GOAL_S = 5.0
HEAP = "192k"


def run(mode: str, folder: Path, valgrind: bool) -> tuple[int, str]:
    """Instructions counted (0 without valgrind) and the script's output."""
    out = folder / f"{mode}.callgrind"
    cmd = [micropython_binary(), "-X", f"heapsize={HEAP}", str(HERE / "mp_verify_cost.py"),
           mode, str(folder)]  # fmt: skip
    if valgrind:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd]
    proc = subprocess.run(cmd, env=micropython_env(), capture_output=True, text=True)
    if proc.returncode != 0 or f"done {mode}" not in proc.stdout:
        raise SystemExit(f"{mode}: {proc.stdout}\n{proc.stderr[-2000:]}")
    return (callgrind_total(out) if valgrind else 0), proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=300, help="bundle size in KiB (default 300)")
    opts = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found: apt-get install valgrind (./bootstrap.sh test does)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        key = rk.new_key(folder / "release.pem", b"benchmark passphrase")
        (folder / "bundle.bin").write_bytes(os.urandom(opts.kb * 1024))
        signed = rk.sign_file(folder / "bundle.bin", key)
        (folder / "signed.json").write_text(json.dumps(signed.as_dict()))
        (folder / "trusted.json").write_text(json.dumps([rk.trusted_entry(key.public_key())]))
        counts = {mode: run(mode, folder, True)[0] for mode in ("none", "hash", "verify")}
        _, out = run("verify", folder, False)
    hashing = counts["hash"] - counts["none"]
    rsa = counts["verify"] - counts["hash"]
    whole = hashing + rsa
    peak = re.search(r"mem: total=\d+, current=\d+, peak=(\d+)", out)
    peak_kb = f"{int(peak.group(1)) / 1024:.1f} KiB" if peak else "not reported"
    print(f"bundle {opts.kb} KiB, RSA-2048 PKCS#1 v1.5 SHA-256, MicroPython unix port, "
          f"heap {HEAP}")  # fmt: skip
    print(f"  SHA-256 of the bundle: {hashing / 1e6:8.1f} Minstr = {hashing / CORE_HZ:.3f} s "
          "at 240 MHz (software; the S3 hashes in hardware)")  # fmt: skip
    print(f"  RSA check (one pow):   {rsa / 1e6:8.1f} Minstr = {rsa / CORE_HZ:.3f} s")
    print(f"  heap peak, imports included: {peak_kb} of {HEAP}")
    print("\n=== summary")
    print(f"signature check of a {opts.kb} KiB bundle: {whole / 1e6:.1f} Minstr = "
          f"{whole / CORE_HZ:.2f} s at 240 MHz, 1 instruction/cycle (goal < {GOAL_S:g} s); "
          f"heap peak {peak_kb} of the badge's {HEAP}")  # fmt: skip


if __name__ == "__main__":
    main()
