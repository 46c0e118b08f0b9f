"""The live hub on its own: who gets which change, coalescing, overviews, resuming."""

from fleet.office import live
from fleet.office.live import LiveHub, Viewer


def _publish(hub: LiveHub, *changes: tuple[str, str | None, dict]) -> None:
    hub.publish("device", changes)


async def test_a_page_gets_only_its_devices_in_its_scope_coalesced() -> None:
    hub = LiveHub()
    page = Viewer(frozenset({"badge-1", "badge-2", "badge-9"}), frozenset({"st-1"}))
    other = Viewer(frozenset({"badge-2"}), None)
    assert hub.subscribe(page, None) == [] and hub.subscribe(other, None) == []
    _publish(hub, ("badge-1", "st-1", {"online": True}), ("badge-3", "st-1", {"online": True}))
    _publish(hub, ("badge-1", "st-1", {"last_tele": {"batt_pct": 50}}))
    _publish(hub, ("badge-9", "st-9", {"online": False}))  # shown, but outside the scope
    _publish(hub, ("badge-2", "st-1", {"fw": "0.2.0"}))
    got = page.take()
    assert [c.device_id for c in got] == ["badge-1", "badge-2"]
    assert got[0].data == {"online": True, "last_tele": {"batt_pct": 50}}  # both changes
    assert got[0].id == 3  # the newest change's id: a reconnect resumes after it
    assert [c.device_id for c in other.take()] == ["badge-2"]
    assert page.take() == [] and not page.wake.is_set()
    hub.unsubscribe(page)
    _publish(hub, ("badge-1", "st-1", {"online": False}))
    assert page.pending == {} and hub.viewers == 1


async def test_an_overview_counts_changes_in_its_scope() -> None:
    hub = LiveHub()
    region = Viewer(None, frozenset({"st-1", "st-2"}))
    everything = Viewer(None, None)
    hub.subscribe(region, None)
    hub.subscribe(everything, None)
    _publish(hub, ("a", "st-1", {}), ("b", "st-3", {}), ("c", None, {}), ("d", "st-2", {}))
    assert region.changed == 2 and everything.changed == 4
    assert region.pending == {}  # an overview is told how many, not which


async def test_resume_sends_what_was_missed_or_a_reset() -> None:
    hub = LiveHub()
    for i in range(5):
        _publish(hub, (f"badge-{i % 2}", "st-1", {"seq": i}))
    back = Viewer(frozenset({"badge-1"}), None)
    missed = hub.subscribe(back, 2)
    assert missed is not None and [c.data["seq"] for c in missed] == [3]
    assert hub.subscribe(Viewer(None, None), 99) is None  # an id this hub never gave
    old = LiveHub()
    for i in range(live.HISTORY + 10):
        _publish(old, ("badge-1", "st-1", {"seq": i}))
    assert old.subscribe(Viewer(None, None), 3) is None  # no longer kept: reload


async def test_changes_nobody_watched_make_a_returning_stream_reload() -> None:
    hub = LiveHub()
    tab = Viewer(frozenset({"badge-1"}), None)
    hub.subscribe(tab, None)
    _publish(hub, ("badge-1", "st-1", {"seq": 1}))
    seen = tab.take()[-1].id
    hub.unsubscribe(tab)  # the tab's connection drops
    hub.unobserved()  # a batch is stored while no stream is open (fleet/office/live_handler.py)
    assert hub.subscribe(Viewer(frozenset({"badge-1"}), None), seen) is None
