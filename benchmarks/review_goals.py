"""Issue 20's goals from one run: clip assembly for a station-day (clip_assembly.py), clip
edges after drift correction (clip_edges.py), the review page's waveform (review_page.py) and
reports over 50,000 reviews on PostgreSQL (review_reports.py), one after another (so they do
not share the two cores), each script's own output first and the goals' lines at the end.

    .venv/bin/python benchmarks/review_goals.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import run_goal_scripts

if __name__ == "__main__":
    run_goal_scripts(("clip_edges.py", "clip_assembly.py", "review_page.py", "review_reports.py"))
