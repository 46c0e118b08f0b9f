"""A job that must run on one fleet instance at a time holds a lease: a row naming its holder
until an expiry it renews on every run. Another instance takes the lease only once it has
expired (its holder died or hung), so the job moves within one lease period. Both SQLite and
PostgreSQL do the conditional UPDATE atomically; the INSERT of a new lease is guarded by the
primary key. (Scale-out, issue 22, may swap this for PostgreSQL advisory locks behind the same
call.)"""

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from fleet.leases.models import JobLease


async def hold(name: str, holder: str, ttl_s: float, now: datetime | None = None) -> bool:
    """Take or renew the lease ``name`` for ``holder`` for ``ttl_s``; True when held."""
    now = now or datetime.now(UTC)
    until = now + timedelta(seconds=ttl_s)
    taken = await JobLease.filter(Q(name=name) & (Q(holder=holder) | Q(expires_at__lt=now))).update(
        holder=holder, expires_at=until
    )
    if taken:
        return True
    try:
        await JobLease.create(name=name, holder=holder, expires_at=until)
    except IntegrityError:
        return False  # someone else holds it
    return True


async def release(name: str, holder: str) -> None:
    """Give the lease up (an orderly stop), so another instance need not wait for expiry."""
    await JobLease.filter(name=name, holder=holder).delete()
