"""Proof of play, tallied on the kiosk: each ad the page shows adds to its hour's tally (per
file, scenario version and clock hour), and a tally goes to the fleet as one ``play`` event
once its hour is over. An ad every 10 s on 1,000 kiosks would otherwise be 100 events a second
and 8.6 million rows a day; tallied, it is a few rows per kiosk and hour.

The open tallies are kept on disk (rewritten atomically on each play), so a restart loses
none; a tally is sent through the outbox like every event (once, in order, kept while the
broker is away), so an offline kiosk backfills its hours when it is back.
"""

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from crmsensor.errors import ProtocolError
from crmsensor.protocol.messages import is_sha256
from crmsensor.protocol.schema import Field, validate

log = logging.getLogger("edge_kiosk.screen")

HOUR_S = 3600
# one ad on the screen, as the page reports it (POST /api/play)
PAGE_PLAY = (
    Field("content", str, required=True, lo=64, hi=64),
    Field("scenario", str, required=True, lo=1, hi=40),
    Field("version", int, required=True, lo=1, hi=2**31),
    Field("seconds", float, required=True, lo=0, hi=86400),
    Field("present", bool, required=True),
    Field("session", str, hi=40),
    Field("ended", str, choices=("done", "cut", "error")),
    Field("reason", str, hi=200),
)


def check_page_play(obj: dict[str, Any]) -> dict[str, Any]:
    """The page's report of one ad, checked (ProtocolError naming the field)."""
    f = validate(obj, PAGE_PLAY, "play")
    if not is_sha256(f["content"]):
        raise ProtocolError("schema", "play.content must be a SHA-256 in lowercase hex")
    return f


class PlayTally:
    """Tallies per (hour, file, scenario, version), on disk at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._open: dict[str, dict[str, Any]] = {}
        try:
            self._open = json.loads(path.read_text())
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            log.warning("play tallies in %s unreadable (%s): starting afresh", path, exc)

    def add(self, play: dict[str, Any], now: float) -> None:
        """One ad that ended at ``now`` (Unix s)."""
        hour = int(now // HOUR_S * HOUR_S)
        key = f"{hour}/{play['content']}/{play['scenario']}/{play['version']}"
        with self._lock:
            t = self._open.setdefault(key, {
                "content": play["content"], "scenario": play["scenario"],
                "version": play["version"], "hour": hour, "plays": 0, "seconds": 0.0,
                "present": 0, "errors": 0,
            })  # fmt: skip
            t["plays"] += 1
            t["seconds"] = round(t["seconds"] + play["seconds"], 1)
            t["present"] += 1 if play["present"] else 0
            if play.get("ended") == "error":
                t["errors"] += 1
                t["reason"] = str(play.get("reason", ""))[:200]
            self._save()

    def due(self, now: float) -> list[tuple[str, dict[str, Any]]]:
        """The tallies of hours that are over, with their keys: the caller queues each, then
        :meth:`done` forgets it (a crash between the two sends it again; the fleet stores a
        kiosk's tally of an hour, file and scenario version once)."""
        with self._lock:
            return sorted((k, dict(t)) for k, t in self._open.items() if t["hour"] + HOUR_S <= now)

    def done(self, key: str) -> None:
        with self._lock:
            if self._open.pop(key, None) is not None:
                self._save()

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._open))
        os.replace(tmp, self.path)
