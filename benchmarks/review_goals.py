"""Issue 20's goals from one run: clip assembly for a station-day (clip_assembly.py), clip
edges after drift correction (clip_edges.py), the review page's waveform (review_page.py) and
reports over 50,000 reviews on PostgreSQL (review_reports.py), one after another (so they do
not share the two cores), each script's own output first and the goals' lines at the end.

    .venv/bin/python benchmarks/review_goals.py
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("clip_edges.py", "clip_assembly.py", "review_page.py", "review_reports.py")


def main() -> None:
    summary: list[str] = []
    for name in SCRIPTS:
        print(f"\n=== {name} ===", flush=True)
        run = subprocess.run([sys.executable, str(HERE / name)], capture_output=True, text=True)
        shown = [line for line in run.stdout.splitlines() if line.strip()]
        print("\n".join(shown), flush=True)
        if run.returncode != 0:
            print(run.stderr[-3000:])
            summary.append(f"{name}: FAILED (exit {run.returncode})")
        summary += [f"{name}: {line.strip()}" for line in shown if "goal" in line]
    print("\n=== goals ===")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
