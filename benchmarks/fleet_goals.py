"""Issue 3's goals in one run: telemetry ingest vs raw paho, recording ingest, device-list latency.

Runs the three benchmarks one after another with their defaults (each prints its own detail),
then repeats their verdict lines together.

    .venv/bin/python benchmarks/fleet_goals.py
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["ingest_throughput.py", "recording_ingest.py", "device_list.py"]
# The lines of each script's summary worth repeating at the end.
KEYS = ("msg/s", "ratio", ">=", "MB/s", "p95", "goal")


def main() -> None:
    summary: list[str] = []
    failed = []
    for script in SCRIPTS:
        print(f"\n=== {script}", flush=True)
        run = subprocess.run(
            [sys.executable, str(HERE / script)], cwd=HERE, capture_output=True, text=True
        )
        print(run.stdout, end="")
        if run.returncode != 0:
            failed.append(script)
            print(run.stderr[-3000:], file=sys.stderr)
            continue
        tail = run.stdout.strip().split("\n\n")[-1].splitlines()
        summary += [f"{script:22} {line}" for line in tail if any(k in line for k in KEYS)]
    print("\n=== summary")
    print("\n".join(summary))
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
