"""The device registry: which devices exist, what they are, where they are."""

from dataclasses import dataclass
from typing import Any

from crmsensor.errors import ConfigError
from crmsensor.protocol import is_device_id
from crmsensor.protocol.messages import DEVICE_KINDS
from fleet.models import Device


@dataclass(frozen=True)
class DeviceSpec:
    """What a registration says about a device."""

    id: str
    kind: str
    station: str = ""
    hw: str = ""

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the bad field."""
        if not is_device_id(self.id):
            raise ConfigError(f"device id must be 2-32 of a-z 0-9 - _, got {self.id!r}")
        if self.kind not in DEVICE_KINDS:
            raise ConfigError(f"device kind must be one of {', '.join(DEVICE_KINDS)}")


async def register(spec: DeviceSpec) -> Device:
    """Add a device, or update the kind/station/hw of an existing one."""
    spec.check()
    device, _ = await Device.update_or_create(
        id=spec.id, defaults={"kind": spec.kind, "station": spec.station, "hw": spec.hw}
    )
    return device


async def known_ids() -> set[str]:
    """Ids of every registered device."""
    return {str(i) for i in await Device.all().values_list("id", flat=True)}


def device_view(d: Device) -> dict[str, Any]:
    """The JSON shape of a device in the API and on the devices page."""
    return {
        "id": d.id,
        "kind": d.kind,
        "station": d.station,
        "hw": d.hw,
        "fw": d.fw,
        "online": d.online,
        "status_reason": d.status_reason,
        "status_at": d.status_at.isoformat() if d.status_at else None,
        "last_seen": d.last_seen.isoformat() if d.last_seen else None,
        "keepalive_s": d.keepalive_s,
        "tele": d.last_tele or {},
    }
