"""Presence with two fleet instances on one database (issue 22), on SQLite and PostgreSQL:
each sees only its share of a device's messages (a shared subscription), so neither may call
a device silent while the other still hears it, a silence is marked once, and the first
message after it puts the device back online whichever instance had it, however stale its
own view."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fleet.devices.models import Device
from fleet.devices.presence import Presence
from fleet.devices.registry import DeviceSpec, register

T0 = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
BADGE = "badge-0801"


async def heard(instance: Presence, at: datetime) -> None:
    """A live message reached ``instance``; its batch writes the device row."""
    upd: dict[str, Any] = {}
    instance.seen(BADGE, at, upd)
    await Device.filter(id=BADGE).update(**upd)


async def row() -> tuple[bool, str]:
    d = await Device.get(id=BADGE)
    return d.online, d.status_reason


async def test_two_instances_agree_on_presence(fleet_db: str) -> None:
    await register(DeviceSpec(BADGE, "badge"))
    a, b = Presence(), Presence()
    await a.load()
    await b.load()
    upd: dict[str, Any] = {}
    fields = {"keepalive_s": 10}  # silent after 15 s
    for instance in (a, b):
        upd = {}
        instance.status(BADGE, "online", fields, T0, False, upd)
    await Device.filter(id=BADGE).update(keepalive_s=10, **upd)  # as the status handler does
    link_up = T0 - timedelta(minutes=5)

    # only a hears the device from now on; b, 20 s on, must not call it silent
    await heard(a, T0 + timedelta(seconds=12))
    assert await b.sweep(T0 + timedelta(seconds=20), link_up) == []
    assert await row() == (True, "")
    # and b has taken the newer time: 25 s on (13 s after a heard it) it still waits
    assert await b.sweep(T0 + timedelta(seconds=25), link_up) == []

    # nobody hears it: 30 s on (18 s of silence) b calls it silent, once
    assert await b.sweep(T0 + timedelta(seconds=30), link_up) == [BADGE]
    assert await row() == (False, "silent")
    assert await a.sweep(T0 + timedelta(seconds=31), link_up) == []  # marked once, not twice

    # back, through b this time: online again
    await heard(b, T0 + timedelta(seconds=40))
    assert await row() == (True, "")
    # silent again, called by a alone while b still thinks it online; then a message
    # reaches b, whose own view never changed: the row goes back online all the same
    assert await a.sweep(T0 + timedelta(seconds=60), link_up) == [BADGE]
    assert await row() == (False, "silent")
    await heard(b, T0 + timedelta(seconds=61))
    assert await row() == (True, "")
