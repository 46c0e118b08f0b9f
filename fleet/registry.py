"""The device registry: which devices exist, what they are, where they are."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from crmsensor.errors import ConfigError
from crmsensor.protocol import is_device_id
from crmsensor.protocol.messages import DEVICE_KINDS
from fleet.models import Device, DeviceTag, Organisation, Region, Station

_STATION_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_HOURS = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class StationSpec:
    """A station and where it sits in the hierarchy."""

    id: str
    name: str = ""
    region: str = ""
    organisation: str = ""
    timezone: str = "UTC"
    opening_hours: str = ""

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the bad field."""
        if not _STATION_ID.fullmatch(self.id):
            raise ConfigError(f"station id must be 1-64 of a-z 0-9 . _ -, got {self.id!r}")
        if self.opening_hours and not _HOURS.fullmatch(self.opening_hours):
            raise ConfigError(f"opening_hours must be HH:MM-HH:MM, got {self.opening_hours!r}")
        if self.region and not self.organisation:
            raise ConfigError("a station's region needs its organisation")


@dataclass(frozen=True)
class DeviceSpec:
    """What a registration says about a device."""

    id: str
    kind: str
    station: str = ""
    hw: str = ""
    tags: list[str] = field(default_factory=list)
    cert_fingerprint: str | None = None

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the bad field."""
        if not is_device_id(self.id):
            raise ConfigError(f"device id must be 2-32 of a-z 0-9 - _, got {self.id!r}")
        if self.kind not in DEVICE_KINDS:
            raise ConfigError(f"device kind must be one of {', '.join(DEVICE_KINDS)}")
        if self.station and not _STATION_ID.fullmatch(self.station):
            raise ConfigError(f"station id must be 1-64 of a-z 0-9 . _ -, got {self.station!r}")


async def upsert_station(spec: StationSpec) -> Station:
    """Add a station (and its organisation and region when named), or update it."""
    spec.check()
    region = None
    if spec.organisation:
        org, _ = await Organisation.get_or_create(name=spec.organisation)
        if spec.region:
            region, _ = await Region.get_or_create(organisation=org, name=spec.region)
    defaults: dict[str, Any] = {
        "name": spec.name,
        "timezone": spec.timezone,
        "opening_hours": spec.opening_hours,
    }
    if region is not None:
        defaults["region"] = region
    station, _ = await Station.update_or_create(id=spec.id, defaults=defaults)
    return station


async def register(spec: DeviceSpec) -> Device:
    """Add a device, or update the kind/station/hw/tags of an existing one.

    A station named here that does not exist yet is created bare (no region, always open).
    """
    spec.check()
    station = None
    if spec.station:
        station, _ = await Station.get_or_create(id=spec.station)
    defaults: dict[str, Any] = {
        "kind": spec.kind,
        "station": station,
        "hw": spec.hw,
        "tags": list(spec.tags),
    }
    if spec.cert_fingerprint is not None:
        defaults["cert_fingerprint"] = spec.cert_fingerprint
    async with in_transaction():
        device, _ = await Device.update_or_create(id=spec.id, defaults=defaults)
        tags = set(spec.tags)
        await DeviceTag.filter(device_id=spec.id).exclude(tag__in=tags).delete()
        have = set(await DeviceTag.filter(device_id=spec.id).values_list("tag", flat=True))
        await DeviceTag.bulk_create([DeviceTag(device_id=spec.id, tag=t) for t in tags - have])
    return device


async def known_ids() -> set[str]:
    """Ids of every registered device."""
    return {str(i) for i in await Device.all().values_list("id", flat=True)}


def iso(value: datetime | None) -> str | None:
    """A time for the API's JSON (ISO 8601), or None."""
    return value.isoformat() if value is not None else None


# The device columns the API shows (``Device.all().values(*VIEW_FIELDS)`` for lists).
VIEW_FIELDS = (
    "id", "kind", "station_id", "hw", "fw", "tags", "online", "status_reason", "status_at",
    "last_seen", "keepalive_s", "flaps", "last_tele", "last_recording_at",
)  # fmt: skip


def view_of_row(r: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON shape of a device in the API and on the devices page, from its columns."""
    return {
        "id": r["id"],
        "kind": r["kind"],
        "station": r["station_id"],
        "hw": r["hw"],
        "fw": r["fw"],
        "tags": r["tags"],
        "online": r["online"],
        "status_reason": r["status_reason"],
        "status_at": iso(r["status_at"]),
        "last_seen": iso(r["last_seen"]),
        "keepalive_s": r["keepalive_s"],
        "flaps": r["flaps"],
        "tele": r["last_tele"] or {},
        "last_recording_at": iso(r["last_recording_at"]),
    }


def device_view(d: Device) -> dict[str, Any]:
    """:func:`view_of_row` of a loaded device."""
    return view_of_row({name: getattr(d, name) for name in VIEW_FIELDS})
