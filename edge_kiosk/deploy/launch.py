#!/usr/bin/env python3
"""Start the kiosk agent from the version the last update chose: run by systemd
(crmsensor-kiosk.service) with the system's Python and the standard library only, installed
once beside the versions and never replaced by an update, so a broken version cannot break
the choice. (The badge's firmware/loader.py does the same on flash.)

The managed install (``--root``, e.g. /opt/crmsensor/kiosk):
    venvs/<version>/   one virtualenv per installed version (edge_kiosk/updater.py makes them)
    current            symlink to the version that runs
    update.json        {"trial": version|null, "tried": 0|1, "previous": version,
                        "release": id, "last": {what to report}|null}

A version on trial is started once with CRMS_KIOSK_TRIAL=1 (tried=1 is written first). If it
exits before confirming itself healthy, systemd starts this again, which points ``current``
back at ``previous`` and leaves "rolled_back" to report. Every write is a rename, atomic.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def read_state(root: Path) -> dict[str, Any]:
    try:
        state = json.loads((root / "update.json").read_text())
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def write_state(root: Path, state: dict[str, Any]) -> None:
    tmp = root / "update.json.tmp"
    tmp.write_text(json.dumps(state))
    os.replace(tmp, root / "update.json")


def point(root: Path, version: str) -> None:
    """``current`` -> venvs/<version>, replaced atomically."""
    tmp = root / "current.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path("venvs") / version)
    os.replace(tmp, root / "current")


def choose(root: Path) -> bool:
    """Settle ``current`` for this start; True when it runs a version on trial."""
    state = read_state(root)
    trial = state.get("trial")
    if not trial:
        return False
    if state.get("tried"):
        previous = state.get("previous")
        if previous and (root / "venvs" / previous).is_dir():
            point(root, previous)
        state["last"] = {
            "state": "rolled_back",
            "release": state.get("release"),
            "version": trial,
            "reason": state.get("failed") or "did not pass its health check",
        }
        state.update(trial=None, tried=0, failed=None)
        write_state(root, state)
        return False
    state["tried"] = 1
    write_state(root, state)
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description="Start the kiosk agent's chosen version.")
    ap.add_argument("--root", type=Path, required=True, help="the managed install")
    ap.add_argument("--config", required=True, help="the kiosk's config.json")
    opts = ap.parse_args()
    trial = choose(opts.root)
    exe = opts.root / "current" / "bin" / "crmsensor"
    env = {**os.environ, "CRMS_KIOSK_ROOT": str(opts.root)}
    if trial:
        env["CRMS_KIOSK_TRIAL"] = "1"
    sys.stdout.flush()
    os.execve(exe, [str(exe), "kiosk", "run", "--config", opts.config], env)


if __name__ == "__main__":
    main()
