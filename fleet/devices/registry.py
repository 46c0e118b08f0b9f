"""The device registry: which devices exist, what they are, where they are."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crmsensor.errors import ConfigError, Missing
from crmsensor.protocol import is_device_id
from crmsensor.protocol.messages import DEVICE_KINDS
from fleet.devices.models import Device, DeviceTag
from fleet.hierarchy.stations import STATION_ID, ensure_station
from fleet.transaction import transaction


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
        if self.station and not STATION_ID.fullmatch(self.station):
            raise ConfigError(f"station id must be 1-64 of a-z 0-9 . _ -, got {self.station!r}")


async def register(spec: DeviceSpec) -> Device:
    """Add a device, or update the kind/station/hw/tags of an existing one.

    A station named here that does not exist yet is created bare (no region, always open).
    """
    spec.check()
    station = None
    if spec.station:
        station = await ensure_station(spec.station)
    defaults: dict[str, Any] = {
        "kind": spec.kind,
        "station": station,
        "hw": spec.hw,
        "tags": list(spec.tags),
        "decommissioned_at": None,  # registering a decommissioned device puts it back
    }
    if spec.cert_fingerprint is not None:
        defaults["cert_fingerprint"] = spec.cert_fingerprint
    async with transaction():
        device, _ = await Device.update_or_create(id=spec.id, defaults=defaults)
        tags = set(spec.tags)
        await DeviceTag.filter(device_id=spec.id).exclude(tag__in=tags).delete()
        have = set(await DeviceTag.filter(device_id=spec.id).values_list("tag", flat=True))
        await DeviceTag.bulk_create([DeviceTag(device_id=spec.id, tag=t) for t in tags - have])
    return device


async def move(device_id: str, station: str) -> Device:
    """Move a registered device to another station (created bare when new)."""
    d = await Device.get_or_none(id=device_id)
    if d is None:
        raise Missing(f"no device {device_id!r}")
    return await register(DeviceSpec(d.id, d.kind, station, d.hw, list(d.tags)))


async def decommission(device_id: str, at: datetime) -> bool:
    """Take a device out of service (its history stays); False when it already was."""
    return bool(
        await Device.filter(id=device_id, decommissioned_at=None).update(
            decommissioned_at=at, online=False, status_reason="decommissioned"
        )
    )


async def device_counts(station_ids: list[str]) -> dict[str, int]:
    """How many devices each of ``station_ids`` has."""
    counts: dict[str, int] = {}
    rows = await Device.filter(station_id__in=station_ids).values_list("station_id", flat=True)
    for sid in rows:
        counts[str(sid)] = counts.get(str(sid), 0) + 1
    return counts


async def known_ids() -> set[str]:
    """Ids of every registered device in service (not decommissioned)."""
    live = Device.filter(decommissioned_at=None)
    return {str(i) for i in await live.values_list("id", flat=True)}


async def station_of(device_id: str) -> str | None:
    """The station a device is registered at (None: none, or no such device)."""
    rows = await Device.filter(id=device_id).values_list("station_id", flat=True)
    return str(rows[0]) if rows and rows[0] is not None else None


async def stations_of(device_ids: list[str]) -> dict[str, str | None]:
    """The station of each device (devices that do not exist are left out)."""
    rows = await Device.filter(id__in=device_ids).values_list("id", "station_id")
    return {str(i): (str(s) if s is not None else None) for i, s in rows}


async def note_recording(device_id: str, at: datetime) -> None:
    """A recording of the device was stored (the health rules watch for its absence)."""
    await Device.filter(id=device_id).update(last_recording_at=at)


def iso(value: datetime | None) -> str | None:
    """A time for the API's JSON (ISO 8601), or None."""
    return value.isoformat() if value is not None else None


# The device columns the API shows (``Device.all().values(*VIEW_FIELDS)`` for lists).
VIEW_FIELDS = (
    "id", "kind", "station_id", "hw", "fw", "tags", "online", "status_reason", "status_at",
    "last_seen", "keepalive_s", "flaps", "last_tele", "last_recording_at", "decommissioned_at",
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
        "decommissioned_at": iso(r["decommissioned_at"]),
    }


def device_view(d: Device) -> dict[str, Any]:
    """:func:`view_of_row` of a loaded device."""
    return view_of_row({name: getattr(d, name) for name in VIEW_FIELDS})
