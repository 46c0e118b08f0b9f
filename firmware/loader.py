# Which app runs at boot: the factory app or one of two update slots (A/B), on trial or kept.
#
# This module and main.py are never replaced by an update, so a broken update cannot break
# the choice. The flash filesystem's root holds:
#   crms/, lib/        the factory app (written at the bench by `crmsensor badge flash`)
#   app_a/, app_b/     update slots: crms/ and lib/ as a release bundle unpacks them, then
#                      slot.json ({"version", "sha256"}) written last, which marks it whole
#   boot.json          {"active": "a"|"b"|null, "trial": "a"|"b"|null, "tried": 0|1,
#                       "release": id on trial, "last": what to report, or null}
# Every change to boot.json is written to boot.tmp and renamed over it, which LittleFS (and
# POSIX) does atomically: a power loss leaves the old state or the new one, never half.
#
# At boot: a slot on trial that has not been tried is tried once (tried=1 is written before it
# runs); a trial slot already tried (it did not confirm: it crashed, hung or failed its health
# check) is given up, and the active slot runs, with "rolled_back" left to report. A slot
# without its slot.json is never run. Nothing runnable: the factory app.
import json
import os

BOOT = "/boot.json"
SLOTS = ("a", "b")


def slot_dir(root, slot):
    return root + "/app_" + slot


def read_state(root):
    try:
        with open(root + BOOT) as f:
            s = json.load(f)
        if isinstance(s, dict):
            return s
    except (OSError, ValueError):
        pass
    return {}


def write_state(root, state):
    tmp = root + "/boot.tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.rename(tmp, root + BOOT)


def slot_info(root, slot):
    # The slot's slot.json ({"version", "sha256"}), or None when the slot is not whole.
    if slot not in SLOTS:
        return None
    try:
        with open(slot_dir(root, slot) + "/slot.json") as f:
            info = json.load(f)
        if isinstance(info, dict) and isinstance(info.get("version"), str):
            return info
    except (OSError, ValueError):
        pass
    return None


def select(root):
    # Decide what runs now; return {"slot", "version", "trial", "release", "last"}.
    s = read_state(root)
    trial = s.get("trial")
    if trial is not None:
        info = slot_info(root, trial)
        if s.get("tried") or info is None:
            s["last"] = {
                "state": "rolled_back",
                "release": s.get("release"),
                "version": info["version"] if info else "?",
                "reason": s.get("failed") or "did not pass its health check"
                if info
                else "slot incomplete",
            }
            s["trial"] = None
            s["tried"] = 0
            s["failed"] = None
            write_state(root, s)
        else:
            s["tried"] = 1
            write_state(root, s)
            return _boot(trial, info, True, s)
    active = s.get("active")
    info = slot_info(root, active)
    if info is None:
        return _boot(None, None, False, s)
    return _boot(active, info, False, s)


def _boot(slot, info, trial, s):
    return {
        "slot": slot,
        "version": info["version"] if info else None,
        "trial": trial,
        "release": s.get("release") if trial else None,
        "last": s.get("last"),
    }


def inactive(root):
    # The slot an update may write: never the active one.
    return "b" if read_state(root).get("active") == "a" else "a"


def set_trial(root, slot, release):
    # Boot into `slot` next, on trial (its slot.json must be written already).
    s = read_state(root)
    s["trial"] = slot
    s["tried"] = 0
    s["release"] = release
    s["last"] = None
    write_state(root, s)


def fail_trial(root, reason):
    # The slot on trial failed its health check (`reason`): the next boot gives it up.
    s = read_state(root)
    if s.get("trial") is not None:
        s["failed"] = reason[:200]
        write_state(root, s)


def confirm(root):
    # The slot on trial passed its health check: it becomes the active one.
    s = read_state(root)
    slot = s.get("trial")
    if slot is None:
        return None
    s["active"] = slot
    s["trial"] = None
    s["tried"] = 0
    write_state(root, s)
    return slot


def clear_last(root):
    # The outcome in "last" was reported.
    s = read_state(root)
    if s.get("last") is not None:
        s["last"] = None
        write_state(root, s)
