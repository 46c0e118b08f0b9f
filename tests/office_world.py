"""A small organisation for web office tests, built in a running fleet's database: two
organisations, their regions and stations, a device with a recording, an alert and a command
inside the scoped users' part of it and the same outside, and one user (with an API token) per
role. Shared by the access matrix, the account tests and the browser tests."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fleet.alerts.models import Alert
from fleet.devices.commands import queue_command
from fleet.devices.registry import DeviceSpec, register
from fleet.hierarchy import stations
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.recordings.models import Recording
from fleet.recordings.objects import ObjectStore
from fleet.reviews.models import ChecklistTemplate, Review, Service, ServiceClip

PASSWORD = "correct horse battery"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)  # small, enough to stream


@dataclass
class World:
    """Ids of what was made: ``inside`` is the station manager's station st-n1 (in the north
    region of organisation acme), ``outside`` is st-e1 in another organisation."""

    org: int = 0
    other_org: int = 0
    north: int = 0
    east: int = 0
    device: dict[str, str] = field(default_factory=dict)
    recording: dict[str, int] = field(default_factory=dict)
    alert: dict[str, int] = field(default_factory=dict)
    command: dict[str, str] = field(default_factory=dict)
    review: dict[str, int] = field(default_factory=dict)
    service: dict[str, int] = field(default_factory=dict)
    clip: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    # user name -> role, scope
    users: dict[str, tuple[str, Scope]] = field(default_factory=dict)


async def _bytes() -> AsyncIterator[bytes]:
    yield WAV


async def build(store: ObjectStore) -> World:
    """Make the world in the open database and ``store``."""
    w = World()
    acme = await stations.create_organisation("acme")
    other = await stations.create_organisation("other")
    north = await stations.save_region(None, "north", acme.id)
    south = await stations.save_region(None, "south", acme.id)
    east = await stations.save_region(None, "east", other.id)
    w.org, w.other_org, w.north, w.east = acme.id, other.id, north.id, east.id
    for sid, region in (("st-n1", north), ("st-n2", north), ("st-s1", south), ("st-e1", east)):
        await stations.save_station(sid, f"Station {sid}", region.id, "UTC", "")
    now = datetime.now(UTC)
    template = await ChecklistTemplate.create(
        family="cashier", version=1, name="Cashier", service_type="cashier",
        doc={"name": "Cashier", "service_type": "cashier",
             "items": [{"key": "greeting", "text": "Greeted"}]},
    )  # fmt: skip
    for where, station in (("in", "st-n1"), ("out", "st-e1")):
        dev = f"badge-{where}"
        await register(DeviceSpec(dev, "badge", station))
        w.device[where] = dev
        key = f"recordings/{dev}/r-1.wav"
        await store.put(key, _bytes())
        rec = await Recording.create(
            device_id=dev, station_id=station, rec_id="r-1", duration_ms=1000, codec="pcm16",
            rate=16000, size=len(WAV), sha256="0" * 64, object_key=key,
        )  # fmt: skip
        w.recording[where] = rec.id
        alert = await Alert.create(
            device_id=dev, rule="battery_low", severity="warning", message="battery 10%",
            opened_at=now, open_key=f"{dev}/battery_low",
        )  # fmt: skip
        w.alert[where] = alert.id
        w.command[where] = (await queue_command(dev, "ping")).id
        review = await Review.create(
            template_id=template.id, station_id=station, answers={"greeting": "yes"}, msi=100.0
        )
        w.review[where] = review.id
        service = await Service.create(
            station_id=station, kiosk_id=f"kiosk-{where}", session="s-00000001-1", start=now,
            end=now, duration_s=30.0, end_event=0, clip_state="ready",
        )  # fmt: skip
        clip_key = f"clips/{station}/kiosk-{where}/s-00000001-1/{dev}.wav"
        await store.put(clip_key, _bytes())
        clip = await ServiceClip.create(
            service=service, device_id=dev, object_key=clip_key, size=len(WAV), rate=16000,
            duration_s=0.0, start_at_s=0.0, end_at_s=0.0, covered=1.0,
            recordings=[rec.id], peaks=[], sources_at=now,
        )  # fmt: skip
        w.service[where], w.clip[where] = service.id, clip.id
    w.users = {
        "chief": ("admin", Scope()),
        "operator": ("operator", Scope()),
        "regional": ("regional_manager", Scope("region", str(north.id))),
        "station": ("station_manager", Scope("station", "st-n1")),
        "reviewer": ("reviewer", Scope("station", "st-n1")),
        "viewer": ("viewer", Scope("organisation", str(acme.id))),
        "auditor": ("auditor", Scope()),
        "marketer": ("marketer", Scope()),
        "target": ("viewer", Scope("station", "st-n2")),  # what user management acts on
    }
    for name, (role, scope) in w.users.items():
        user = await accounts.add_user(name, PASSWORD, [accounts.GrantSpec(role, scope)])
        w.tokens[name] = await accounts.create_token(user, "matrix")
    return w


def bearer(w: World, user: str) -> dict[str, Any]:
    """Headers of ``user``'s requests with their API token."""
    return {"Authorization": f"Bearer {w.tokens[user]}"}
