"""Ingest's storage on both engines: SQLite, and PostgreSQL where it runs."""

from datetime import UTC, datetime
from pathlib import Path

from crmsensor.protocol import Event, Status, Telemetry
from fleet.app import make_ingest
from fleet.devices.models import Device
from fleet.devices.models import Event as EventRow
from fleet.devices.models import Telemetry as TelemetryRow
from fleet.devices.presence import Presence
from fleet.devices.registry import DeviceSpec, device_view, register
from fleet.ingest.batch import Received
from fleet.ingest.downlink import Downlink
from fleet.recordings.objects import LocalObjectStore
from fleet.recordings.uploads import Uploads


async def test_batch_updates_state_in_arrival_order(fleet_db: str, tmp_path: Path) -> None:
    await register(DeviceSpec("badge-0001", "badge", "st-1"))
    now = datetime.now(UTC)
    batch = [
        Received(Status("badge-0001", "online", {"fw": "0.1.0", "keepalive_s": 30}), now),
        Received(Telemetry("badge-0001", {"seq": 1, "uptime_s": 3, "batt_pct": 80}), now),
        Received(Event("badge-0001", 0, "worn", None, {"session": "w1"}), now),
        Received(Telemetry("badge-0001", {"seq": 2, "uptime_s": 13, "batt_pct": 79}), now),
        Received(Status("badge-0001", "offline", {"reason": "lost"}), now),
    ]
    ingest = make_ingest(Presence(), Uploads(LocalObjectStore(tmp_path / "objects")), Downlink())
    await ingest.load_registry()
    await ingest.write(batch)
    device = await Device.get(id="badge-0001")
    view = device_view(device)
    assert view["online"] is False and view["status_reason"] == "lost"
    assert view["fw"] == "0.1.0" and view["tele"]["seq"] == 2
    assert await TelemetryRow.filter(device_id="badge-0001").count() == 2
    event = await EventRow.get(device_id="badge-0001")
    assert event.type == "worn" and event.data == {"session": "w1"}


async def test_registering_twice_updates_not_duplicates(fleet_db: str) -> None:
    await register(DeviceSpec("kiosk-0001", "kiosk", "st-1"))
    await register(DeviceSpec("kiosk-0001", "kiosk", "st-2", "kiosk-r2"))
    rows = await Device.filter(id="kiosk-0001")
    assert len(rows) == 1 and rows[0].station_id == "st-2" and rows[0].hw == "kiosk-r2"
