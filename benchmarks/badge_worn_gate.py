"""Issue 5's worn gate on labelled traces: how fast it starts and stops recording and how often
it is fooled, per kind of trace. The gate is the firmware's (run under the MicroPython unix
port); traces come from devtools.sim.accel (sktime's BasicMotions on an upright badge, a still
wearer model, desk/face-down/drawer/stand/bumped-desk with the LIS3DH noise model).

    .venv/bin/python benchmarks/badge_worn_gate.py [--seeds 20]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools.fwtools.runner import micropython_command, micropython_env  # noqa: E402
from devtools.sim import accel  # noqa: E402

GATE = HERE.parent / "tests" / "firmware" / "mp_worn.py"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        traces: dict[str, tuple[str, accel.Trace]] = {}
        for seed in range(opts.seeds):
            for kind in accel.WORN_KINDS:
                after = "face_down" if seed % 2 else "stand_upright"
                t = accel.trace([("desk_up", 6), (kind, 40), (after, 20)], seed=1000 + seed)
                traces[str(t.write_csv(Path(tmp) / f"{kind}-{seed}.csv"))] = (kind, t)
            for kind in accel.UNWORN_KINDS:
                t = accel.trace([(kind, 600)], seed=1000 + seed)
                traces[str(t.write_csv(Path(tmp) / f"{kind}-{seed}.csv"))] = (kind, t)
        argv = micropython_command(GATE, [str(accel.RATE_HZ), *traces])
        run = subprocess.run(argv, env=micropython_env(), capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(run.stdout + run.stderr)
        changes = {r["file"]: r["changes"] for r in map(json.loads, run.stdout.splitlines())}
    per_kind: dict[str, dict[str, list[float]]] = {}
    for path, (kind, trace) in traces.items():
        stats = per_kind.setdefault(kind, {"start": [], "stop": [], "false": [], "hours": [],
                                           "worn_frac": []})  # fmt: skip
        ch = changes[path]
        worn = [(a, b) for a, b, w in trace.segments() if w]
        if not worn:
            stats["false"].append(sum(1 for _, w in ch if w))
            stats["hours"].append(len(trace.worn) / trace.rate / 3600)
            continue
        ((a, b),) = worn
        ons = [t for t, w in ch if w]
        offs = [t for t, w in ch if not w]
        stats["start"].append(ons[0] - a if ons else float("inf"))
        stats["stop"].append(offs[-1] - b if offs else float("inf"))
        on_time, since = 0.0, None
        for t, w in ch:
            if w:
                since = t
            elif since is not None:
                on_time += min(t, b) - since
                since = None
        stats["worn_frac"].append(on_time / (b - a))
    print(f"{'trace kind':16} {'start s (med/max)':>18} {'stop s (med/max)':>17} "
          f"{'worn time':>10} {'false starts/h':>15}")  # fmt: skip
    for kind, s in per_kind.items():
        if s["start"]:
            print(
                f"{kind:16} {statistics.median(s['start']):8.2f} / {max(s['start']):5.2f}   "
                f"{statistics.median(s['stop']):7.2f} / {max(s['stop']):5.2f}   "
                f"{100 * statistics.mean(s['worn_frac']):8.1f}% {'':>15}"
            )
        else:
            print(f"{kind:16} {'':>18} {'':>17} {'':>10} "
                  f"{sum(s['false']) / sum(s['hours']):15.2f}")  # fmt: skip
    print()
    print("goals: start <= 2 s after being worn, stop <= 10 s after being taken off, "
          "no recording on a still desk")  # fmt: skip


if __name__ == "__main__":
    main()
