"""Issue 22's goals from one run: two fleet instances against one on telemetry ingest
(scale_out.py), then the load and failover runs (load_failover.py: 1,000 devices with the
leader killed halfway, 10,000 devices at telemetry every 60 s); one after another (so they do
not share the two cores), each script's own output first and the goals' lines at the end.

    .venv/bin/python benchmarks/scale_goals.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import run_goal_scripts

if __name__ == "__main__":
    run_goal_scripts(("scale_out.py", "load_failover.py"))
