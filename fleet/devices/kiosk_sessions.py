"""Kiosk service sessions: a kiosk's ``session_start``/``session_end`` events, stored once, and
turned into recording commands for the badges at the kiosk's station (docs/protocol.md,
"events").

A kiosk's event ``seq`` persists across its restarts (its events wait on disk while the broker
is away), so (device, seq, type, session) names one session event: one delivered twice (QoS 1
after a lost PUBACK) is stored and relayed once. The commands are queued in the same transaction as
the event, so neither is lost without the other, and dispatched as soon as it commits.
"""

from crmsensor.protocol.messages import MAX_PREROLL_MS, Event
from fleet.devices import commands
from fleet.devices.models import Device
from fleet.devices.models import Event as EventRow

RELAY = {"session_start": "rec_start", "session_end": "rec_stop"}
COMMAND_TTL_S = 60  # a badge that comes online later does not start a past session
# Audio before the kiosk saw the customer that a badge marks as the session's pre-roll (a
# greeting as they walk up), on top of the kiosk's own lag (its confirmation time).
PREROLL_S = 2.0


async def is_duplicate(msg: Event) -> bool:
    """Was this session event stored before? Same device, seq, type and session id (a kiosk
    whose queue folder was lost starts its seq again, but with new session ids)."""
    stored = await EventRow.filter(device_id=msg.device_id, seq=msg.seq, type=msg.type).values_list(
        "data", flat=True
    )
    return any(isinstance(d, dict) and d.get("session") == msg.data.get("session") for d in stored)


async def relay(msg: Event) -> int:
    """Queue the recording command a kiosk's session event asks of its station's badges;
    return how many were queued."""
    kiosk = await Device.get_or_none(id=msg.device_id)
    session = msg.data.get("session")
    if kiosk is None or kiosk.kind != "kiosk" or kiosk.station_id is None:  # type: ignore[attr-defined]
        return 0
    args: dict[str, object] = {}
    if isinstance(session, str) and len(session) <= 40:
        args["kiosk_session"] = session
        lag = msg.data.get("lag_s", 0.0)
        if msg.type == "session_start" and isinstance(lag, int | float) and lag >= 0:
            args["preroll_ms"] = min(MAX_PREROLL_MS, round((lag + PREROLL_S) * 1000))
    badges = await Device.filter(kind="badge", station_id=kiosk.station_id)  # type: ignore[attr-defined]
    for badge in badges:
        await commands.queue_command(badge.id, RELAY[msg.type], args, ttl_s=COMMAND_TTL_S)
    return len(badges)
