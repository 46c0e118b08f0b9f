"""The broker's ACL file, generated from the fleet registry (pure: ids in, text out).

A device may publish only its own uplink channels and subscribe only to its own downlink
channels; the fleet service account reads everything under the contract and writes the
downlink channels of any device; any other identity (``svc-*``, ``user-*``, a certificate
for an unregistered device) may do nothing, because Mosquitto denies whatever no line allows.
"""

from collections.abc import Iterable

from crmsensor.protocol import is_device_id
from crmsensor.protocol.topics import PREFIX, ROOT

FLEET_USER = "fleet"

# Per device, relative to crms/v1/<id>/ (the channels of docs/protocol.md).
DEVICE_WRITES = ("status", "tele", "evt", "rec/+/manifest", "rec/+/chunk", "cmd/res")
DEVICE_READS = ("cmd", "ack")


def render_acl(device_ids: Iterable[str], fleet_user: str = FLEET_USER) -> str:
    """Mosquitto ``acl_file`` text for these devices and the fleet account."""
    lines = [
        "# Generated from the fleet registry by crmsensor; do not edit (it is rewritten).",
        "",
        f"user {fleet_user}",
        f"topic read {ROOT}/#",  # the fleet subscribes to crms/# (or $share/<group>/crms/#)
        *(f"topic write {PREFIX}/+/{channel}" for channel in DEVICE_READS),
    ]
    for device_id in sorted(set(device_ids)):
        if not is_device_id(device_id) or device_id == fleet_user:
            raise ValueError(f"not a device id for the ACL: {device_id!r}")
        lines += ["", f"user {device_id}"]
        lines += [f"topic write {PREFIX}/{device_id}/{c}" for c in DEVICE_WRITES]
        lines += [f"topic read {PREFIX}/{device_id}/{c}" for c in DEVICE_READS]
    return "\n".join(lines) + "\n"
