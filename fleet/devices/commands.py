"""Commands to devices: queued in the database, published over MQTT while the device is online,
re-sent until answered, expired after their time to live. The device's ``cmd/res`` closes them
(fleet/ingest/pipeline.py)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from crmsensor.errors import ConfigError
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.messages import COMMAND_OPS, encode_command
from crmsensor.protocol.schema import MAX_JSON_BYTES
from fleet.devices.models import Command
from fleet.devices.registry import iso
from fleet.ingest.downlink import Downlink

RESEND_S = 30.0
MAX_TTL_S = 7 * 24 * 3600


async def queue_command(
    device_id: str, op: str, args: dict[str, Any] | None = None, ttl_s: int = 3600
) -> Command:
    """Queue ``op`` for a device; raise :class:`ConfigError` naming what is wrong."""
    if op not in COMMAND_OPS:
        raise ConfigError(f"op must be one of {', '.join(COMMAND_OPS)}, got {op!r}")
    if args is not None and not isinstance(args, dict):
        raise ConfigError("args must be a JSON object")
    if not 1 <= ttl_s <= MAX_TTL_S:
        raise ConfigError(f"ttl_s must be 1-{MAX_TTL_S}, got {ttl_s}")
    try:
        orjson.dumps(args)  # what the database's JSON column will take
    except orjson.JSONEncodeError as exc:
        raise ConfigError(f"args cannot be stored: {exc}") from None
    command_id = "c-" + uuid.uuid4().hex[:16]
    if len(encode_command(command_id, op, args)) > MAX_JSON_BYTES:
        raise ConfigError(f"args too large: a command is at most {MAX_JSON_BYTES} bytes")
    return await Command.create(
        id=command_id,
        device_id=device_id,
        op=op,
        args=args or {},
        expires_at=datetime.now(UTC) + timedelta(seconds=ttl_s),
    )


def command_view(c: Command) -> dict[str, Any]:
    """The JSON shape of a command in the API."""
    return {
        "id": c.id,
        "device": c.device_id,  # type: ignore[attr-defined]
        "op": c.op,
        # A renewal's private key never leaves the fleet except to its device.
        "args": {**c.args, "key": "(hidden)"} if "key" in c.args else c.args,
        "state": c.state,
        "created_at": iso(c.created_at),
        "expires_at": iso(c.expires_at),
        "sent_at": iso(c.sent_at),
        "done_at": iso(c.done_at),
        "ok": c.ok,
        "result": c.result,
        "error": c.error,
    }


async def dispatch(downlink: Downlink, now: datetime | None = None) -> int:
    """Publish due commands for online devices, expire old ones; return how many were sent."""
    now = now or datetime.now(UTC)
    await Command.filter(state__in=("queued", "sent"), expires_at__lt=now).update(state="expired")
    due = await Command.filter(state__in=("queued", "sent"), device__online=True).order_by(
        "created_at"
    )
    sent = 0
    for c in due:
        if c.state == "sent" and c.sent_at and (now - c.sent_at).total_seconds() < RESEND_S:
            continue
        payload = encode_command(c.id, c.op, c.args)
        await downlink.send(topic(c.device_id, Channel.CMD), payload)  # type: ignore[attr-defined]
        await Command.filter(id=c.id, state__in=("queued", "sent")).update(
            state="sent", sent_at=now
        )
        sent += 1
    return sent
