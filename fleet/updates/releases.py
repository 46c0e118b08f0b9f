"""Releases kept by the fleet, and delivering one to a device.

A release is taken only when its manifest is signed by a trusted release key
(``[updates] trusted_keys``), its fields are sound and the bundle is the one it describes; the
bundle goes to the object store. A delivery tells one device to install one release: an ``ota``
command carrying the signed manifest and a download URL with a token of its own (the device
checks everything again itself: firmware/crms/ota.py).
"""

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crmsensor import release_keys as rk
from crmsensor.errors import ConfigError
from fleet.devices.commands import queue_command
from fleet.devices.models import Device
from fleet.devices.registry import iso
from fleet.recordings.objects import ObjectStore
from fleet.updates.models import DeviceUpdate, Release

OPEN_STATES = ("queued", "sent", "downloading", "verifying", "applying", "rebooting")
FINAL_STATES = ("healthy", "rolled_back", "error", "failed", "cancelled")
DEVICE_KIND = {"badge-app": "badge", "badge-image": "badge", "kiosk-wheel": "kiosk"}
_READ = 1 << 16


class ReleaseRefused(ConfigError):
    """An upload or a delivery that cannot be taken, with the reason."""


class ReleaseExists(ReleaseRefused):
    """A release of this kind and version is stored already."""


def trusted_keys(path: str) -> dict[str, Any]:
    """The fleet's trusted release keys; ReleaseRefused when none are configured."""
    if not path:
        raise ReleaseRefused("no trusted release keys: set [updates] trusted_keys")
    try:
        return rk.load_trusted(Path(path))
    except rk.ReleaseKeyError as exc:
        raise ReleaseRefused(str(exc)) from None


async def _file_parts(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(_READ):
            yield chunk


async def store_release(
    store: ObjectStore,
    keys: dict[str, Any],
    manifest: bytes,
    signature: str,
    bundle: Path,
    uploaded_by: str,
    notes: str = "",
) -> Release:
    """Check and keep a release; ReleaseRefused naming what is wrong, ReleaseExists."""
    try:
        m = rk.check_manifest(manifest, signature, keys)
        rk.check_bundle(m, bundle)
    except rk.ReleaseKeyError as exc:
        raise ReleaseRefused(str(exc)) from None
    if await Release.exists(kind=m["kind"], version=m["version"]):
        raise ReleaseExists(f"{m['kind']} {m['version']} is stored already")
    key = f"releases/{m['kind']}/{m['version']}-{m['sha256'][:16]}.bin"
    await store.put(key, _file_parts(bundle))
    return await Release.create(
        kind=m["kind"], version=m["version"], hw=m["hw"], min_version=m["min_version"],
        size=m["size"], sha256=m["sha256"], key_id=m["key"], manifest=manifest.decode(),
        signature=signature, object_key=key, notes=notes[:2000], uploaded_by=uploaded_by,
    )  # fmt: skip


async def yank(release: Release, reason: str, now: datetime | None = None) -> int:
    """Withdraw a release: no new deliveries, downloads refused, open deliveries cancelled
    (a device already rebooting into it finishes on its own). Returns deliveries cancelled."""
    now = now or datetime.now(UTC)
    if release.yanked_at is None:
        release.yanked_at = now
        release.yank_reason = reason[:200]
        await release.save(update_fields=["yanked_at", "yank_reason"])
    return await DeviceUpdate.filter(
        release_id=release.id, state__in=("queued", "sent", "downloading", "verifying")
    ).update(state="cancelled", reason=f"release yanked: {reason}"[:256], finished_at=now)


def release_view(r: Release) -> dict[str, Any]:
    """The JSON shape of a release in the API."""
    return {
        "id": r.id,
        "kind": r.kind,
        "version": r.version,
        "hw": r.hw,
        "min_version": r.min_version,
        "size": r.size,
        "sha256": r.sha256,
        "key": r.key_id,
        "notes": r.notes,
        "uploaded_by": r.uploaded_by,
        "created_at": iso(r.created_at),
        "yanked_at": iso(r.yanked_at),
        "yank_reason": r.yank_reason,
    }


def update_view(d: DeviceUpdate) -> dict[str, Any]:
    """The JSON shape of a delivery in the API (its token is the device's only)."""
    return {
        "id": d.id,
        "release": d.release_id,  # type: ignore[attr-defined]
        "device": d.device_id,  # type: ignore[attr-defined]
        "rollout": d.rollout_id,
        "command": d.command_id,
        "from_version": d.from_version,
        "state": d.state,
        "pct": d.pct,
        "reason": d.reason,
        "created_at": iso(d.created_at),
        "updated_at": iso(d.updated_at),
        "deadline": iso(d.deadline),
        "finished_at": iso(d.finished_at),
    }


def refusal(device: Device, release: Release) -> str | None:
    """Why ``release`` cannot go to ``device``, or None."""
    if release.yanked_at is not None:
        return f"release {release.version} is yanked: {release.yank_reason}"
    if device.decommissioned_at is not None:
        return f"{device.id} is decommissioned"
    if release.kind == "badge-image":  # stored and listed; not delivered (no image apply)
        return "full-image updates are not delivered by this fleet yet: use a badge-app release"
    if DEVICE_KIND.get(release.kind) != device.kind:
        return f"a {release.kind} release is not for a {device.kind}"
    if device.hw not in release.hw:
        return f"hardware revision {device.hw or '(unknown)'} is not among {', '.join(release.hw)}"
    if device.fw == release.version:
        return f"{device.id} runs {release.version} already"
    try:
        if device.fw and rk.version_tuple(device.fw) < rk.version_tuple(release.min_version):
            return (
                f"{device.id} runs {device.fw}, below the release's minimum {release.min_version}"
            )
    except rk.ReleaseKeyError:
        pass  # a version this fleet cannot compare: the device decides
    return None


async def deliver(
    device: Device,
    release: Release,
    public_url: str,
    timeout_s: float,
    rollout_id: int | None = None,
    now: datetime | None = None,
) -> DeviceUpdate:
    """Tell ``device`` to install ``release`` (ReleaseRefused with the reason when it cannot
    be, or when it is updating already)."""
    now = now or datetime.now(UTC)
    why = refusal(device, release)
    if why is not None:
        raise ReleaseRefused(why)
    if await DeviceUpdate.exists(device_id=device.id, state__in=OPEN_STATES):
        raise ReleaseRefused(f"{device.id} is being updated already")
    token = secrets.token_urlsafe(32)
    args = {
        "release": release.id,
        "version": release.version,
        "url": f"{public_url.rstrip('/')}/api/v1/bundles/{token}",
        "manifest": release.manifest,
        "sig": release.signature,
    }
    ttl = max(60, int(timeout_s))
    command = await queue_command(device.id, "ota", args, ttl_s=ttl)
    return await DeviceUpdate.create(
        release_id=release.id, device_id=device.id, rollout_id=rollout_id, token=token,
        command_id=command.id, from_version=device.fw, deadline=now + timedelta(seconds=timeout_s),
    )  # fmt: skip


async def expire(now: datetime) -> int:
    """Deliveries whose device went silent past the deadline: failed (a bricked device must
    not hold a rollout forever). Returns how many."""
    return await DeviceUpdate.filter(state__in=OPEN_STATES, deadline__lt=now).update(
        state="failed", reason="no report before the deadline", finished_at=now
    )
