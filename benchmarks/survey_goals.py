"""Issue 21's goals from one run: ratings ingest from 1,000 kiosks for 10 minutes
(ratings_ingest.py), NPS reports over a year of ratings on PostgreSQL (ratings_report.py), and
the kiosk's screen in headless Chromium: the survey's latency after the detector's session
start and the ad's frames while the agent processes the camera (kiosk_screen.py); one after
another (so they do not share the two cores), each script's own output first and the goals'
lines at the end.

    .venv/bin/python benchmarks/survey_goals.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import run_goal_scripts

if __name__ == "__main__":
    run_goal_scripts(("kiosk_screen.py", "ratings_report.py", "ratings_ingest.py"))
