"""The sender: works through due deliveries, one channel call each, retried with exponential
back-off until :data:`MAX_ATTEMPTS`; every attempt's result is kept on the delivery. It runs as
its own periodic job, so a slow or failing channel never touches ingest. Several instances can
run it: a delivery is claimed by moving its next try forward in one conditional UPDATE."""

import asyncio
import logging
from datetime import datetime, timedelta

from fleet.notify.channels import Channel, ChannelError
from fleet.notify.models import Delivery

log = logging.getLogger("fleet.notify")

MAX_ATTEMPTS = 8
FIRST_RETRY_S = 5.0
MAX_RETRY_S = 3600.0
LEASE = timedelta(minutes=2)  # a claimed delivery is not picked again for this long
SEND_TIMEOUT_S = 20.0


def backoff(attempts: int, first_s: float = FIRST_RETRY_S) -> timedelta:
    """How long to wait after the ``attempts``-th failure."""
    return timedelta(seconds=min(MAX_RETRY_S, first_s * 2 ** (attempts - 1)))


async def send_due(
    channels: dict[str, Channel],
    now: datetime,
    limit: int = 50,
    first_retry_s: float = FIRST_RETRY_S,
) -> int:
    """Send the due deliveries (at most ``limit``); return how many went out."""
    due = await Delivery.filter(state="pending", next_try_at__lte=now).order_by("id").limit(limit)
    sent = 0
    for d in due:
        claimed = await Delivery.filter(id=d.id, state="pending", next_try_at=d.next_try_at).update(
            next_try_at=now + LEASE
        )
        if not claimed:
            continue  # another instance has it
        channel = channels.get(d.channel)
        attempts = d.attempts + 1
        try:
            if channel is None:
                raise ChannelError(f"no {d.channel} channel is configured ([notify] settings)")
            await asyncio.wait_for(channel.send(d.address, d.subject, d.body), SEND_TIMEOUT_S)
        except (ChannelError, TimeoutError) as exc:
            reason = str(exc) or type(exc).__name__
            final = attempts >= MAX_ATTEMPTS or channel is None
            await Delivery.filter(id=d.id).update(
                attempts=attempts,
                last_error=reason[:300],
                state="failed" if final else "pending",
                next_try_at=now + backoff(attempts, first_retry_s),
                log=[*d.log, {"at": now.isoformat(), "ok": False, "error": reason[:300]}],
            )
            log.warning("notification %d to %s failed (attempt %d): %s", d.id, d.address,
                        attempts, reason)  # fmt: skip
            continue
        await Delivery.filter(id=d.id).update(
            attempts=attempts,
            state="sent",
            sent_at=now,
            last_error=None,
            log=[*d.log, {"at": now.isoformat(), "ok": True, "error": None}],
        )
        sent += 1
    return sent
