"""Live views across fleet instances (fleet/office/live_relay.py): a change one instance's hub
publishes reaches a tab on another instance through PostgreSQL's LISTEN/NOTIFY, once, and
never comes back to its own; a batch larger than one notification arrives whole."""

import orjson
import pytest

from fleet.office.live import LiveHub, Viewer
from fleet.office.live_relay import MAX_PAYLOAD, LiveRelay, payloads
from tests.conftest import eventually


def test_payloads_fit_postgresql_and_lose_nothing() -> None:
    items = [(f"badge-{i:04d}", "st-1", {"last_seen": "2026-11-29T12:00:00+00:00", "n": i})
             for i in range(500)]  # fmt: skip
    out = payloads("fleet-1", "device", items)
    assert len(out) > 1 and all(len(p.encode()) <= MAX_PAYLOAD for p in out)
    back = [tuple(x) for p in out for x in orjson.loads(p)["items"]]
    assert back == [(d, s, data) for d, s, data in items]


# LISTEN/NOTIFY is PostgreSQL's; several instances never share a SQLite file
@pytest.mark.parametrize(
    "fleet_db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_change_reaches_the_other_instance_once(fleet_db_url: str) -> None:
    a, b = LiveHub(), LiveHub()
    relay_a, relay_b = LiveRelay(fleet_db_url, "fleet-a", a), LiveRelay(fleet_db_url, "fleet-b", b)
    await relay_a.start()
    await relay_b.start()
    a.relay, b.relay = relay_a.send, relay_b.send
    try:
        on_a = Viewer(frozenset({"badge-0001"}), None)
        on_b = Viewer(frozenset({"badge-0001"}), None)
        overview_b = Viewer(None, frozenset({"st-1"}))
        for hub, viewer in ((a, on_a), (b, on_b), (b, overview_b)):
            hub.subscribe(viewer, None)
        many = [(f"badge-{i:04d}", "st-1", {"n": i, "pad": "x" * 50}) for i in range(1000, 1400)]
        a.publish("device", [("badge-0001", "st-1", {"online": True}), *many[1:]])
        await eventually(lambda: relay_b.received == 400)
        (change,) = on_b.take()
        assert change.device_id == "badge-0001" and change.data == {"online": True}
        assert overview_b.changed == 400
        (mine,) = on_a.take()  # a's own tab: once, from a's hub, not back through b
        assert mine.data == {"online": True} and relay_a.received == 0
        assert relay_a.dropped == 0
    finally:
        await relay_a.stop()
        await relay_b.stop()
