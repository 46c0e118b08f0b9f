"""Presence: is a device online, from its status, its last will and its heartbeat.

Rules (docs/architecture.md, "Presence"):

- A live (not retained) message from a device proves it is online now; ``last_seen`` moves.
- ``status`` ``offline`` (the device's own, or its last will published by the broker) makes it
  offline with the reason it gives.
- A *retained* ``online`` status, which the broker replays when the fleet (re)subscribes, only
  says what the device last announced: it counts as online only while ``last_seen`` is recent.
- A device that has said nothing for ``OFFLINE_FACTOR`` x its keepalive is offline (``silent``),
  counted from when the fleet's own MQTT link came up, so a fleet or broker outage never makes
  the whole fleet look silent.
- Flapping is counted (transitions in the last ``FLAP_WINDOW_S``); the state itself is never
  delayed, alerts about it are (fleet/alerts/rules.py).

With several instances each sees only its share of a device's messages, so the database is the
truth: every live message writes ``online``, ``last_seen`` and ``silent_at``, and the sweep (on
the leader, fleet/leases/leader.py) reads the devices due from the database and marks one
silent only by an UPDATE that still finds it quiet. An instance's own view
keeps only what it needs to count flapping.
"""

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from fleet.devices.models import Device

OFFLINE_FACTOR = 1.5
DEFAULT_KEEPALIVE_S = 60
FLAP_WINDOW_S = 600.0


@dataclass
class _Known:
    online: bool
    last_seen: datetime | None
    keepalive_s: int
    transitions: deque[float] = field(default_factory=deque)


def silent_after(keepalive_s: int | None) -> timedelta:
    """How long a device may say nothing before it is offline."""
    return timedelta(seconds=OFFLINE_FACTOR * (keepalive_s or DEFAULT_KEEPALIVE_S))


class Presence:
    """The fleet's view of who is online, written through to the ``device`` table."""

    def __init__(self) -> None:
        self._known: dict[str, _Known] = {}

    async def load(self) -> None:
        """Read the stored state (at start)."""
        rows = await Device.all().values_list("id", "online", "last_seen", "keepalive_s")
        self._known = {
            str(i): _Known(bool(on), seen, int(ka or DEFAULT_KEEPALIVE_S))
            for i, on, seen, ka in rows
        }

    def _get(self, device_id: str) -> _Known:
        known = self._known.get(device_id)
        if known is None:
            known = self._known[device_id] = _Known(False, None, DEFAULT_KEEPALIVE_S)
        return known

    def _set(
        self, device_id: str, online: bool, reason: str, at: datetime, upd: dict[str, Any]
    ) -> None:
        known = self._get(device_id)
        if known.online != online:
            now = time.monotonic()
            known.transitions.append(now)
            while known.transitions and now - known.transitions[0] > FLAP_WINDOW_S:
                known.transitions.popleft()
            upd["flaps"] = len(known.transitions)
            upd["status_at"] = at
        known.online = online
        upd["online"] = online
        upd["status_reason"] = reason

    def seen(self, device_id: str, at: datetime, upd: dict[str, Any]) -> None:
        """A live message arrived: the device is online now (written even when this instance
        thought so already: another may have called it silent in the meantime)."""
        known = self._get(device_id)
        known.last_seen = at
        upd["last_seen"] = at
        upd["silent_at"] = at + silent_after(known.keepalive_s)
        if not known.online:
            self._set(device_id, True, "", at, upd)
        else:
            upd["online"], upd["status_reason"] = True, ""

    def status(
        self,
        device_id: str,
        state: str,
        fields: dict[str, Any],
        at: datetime,
        retained: bool,
        upd: dict[str, Any],
    ) -> None:
        """Apply a ``status`` message to ``upd`` (the device row's pending update)."""
        known = self._get(device_id)
        if "keepalive_s" in fields:
            known.keepalive_s = int(fields["keepalive_s"])
        if state == "offline":
            if not retained:
                known.last_seen = at
                upd["last_seen"] = at
            self._set(device_id, False, str(fields.get("reason", "")), at, upd)
        elif retained:
            recent = known.last_seen is not None and at - known.last_seen < silent_after(
                known.keepalive_s
            )
            if not recent and known.online:
                self._set(device_id, False, "silent", at, upd)
        else:
            self.seen(device_id, at, upd)
            upd["status_reason"] = ""

    async def sweep(self, now: datetime, link_up_since: datetime | None) -> list[str]:
        """Mark silent devices offline; return their ids. Does nothing while the link is down.

        It reads from the database, where every instance writes what it hears, the devices
        online and due to be silent (``silent_at``, indexed: only those rows), and marks one
        silent only by an UPDATE that still finds it quiet, so an instance that heard it
        meanwhile wins."""
        if link_up_since is None:
            return []
        due = Q(online=True) & (Q(silent_at__lte=now) | Q(silent_at__isnull=True))
        rows = await Device.filter(due).values_list("id", "last_seen", "keepalive_s")
        marked = []
        for device_id, seen, keepalive_s in rows:
            since = max(seen, link_up_since) if seen else link_up_since
            quiet = silent_after(keepalive_s)
            if now - since < quiet:
                continue
            known = self._get(device_id)
            known.online, known.last_seen = True, seen
            upd: dict[str, Any] = {}
            self._set(device_id, False, "silent", now, upd)
            old = Q(last_seen__isnull=True) | Q(last_seen__lte=now - quiet)
            if await Device.filter(Q(id=device_id) & Q(online=True) & old).update(**upd):
                marked.append(device_id)
            else:  # heard or marked by another instance in the meantime: its word stands
                known.online = True
                known.transitions.pop()
        return marked

    def forget(self, device_id: str) -> None:
        """Drop a deleted device."""
        self._known.pop(device_id, None)

    def online_count(self) -> int:
        """Devices online right now."""
        return sum(1 for k in self._known.values() if k.online)
