"""Which fleet instance runs the singleton jobs: the one holding the ``leader`` lease
(fleet/leases/lease.py), renewed every ``renew_s`` in its own task so a long job never lets it
lapse. When the leader dies, its lease expires after ``ttl_s`` and the next instance to try
takes it, within ``ttl_s + renew_s``; an orderly stop gives it up at once.

A lease row and not a PostgreSQL advisory lock: a session lock outlives its job behind a
transaction-pooling proxy (PgBouncer), and SQLite has none. Instances must keep their clocks
within a fraction of ``ttl_s`` (NTP).
"""

import asyncio
import logging

from fleet.leases import lease

log = logging.getLogger("fleet.leader")

NAME = "leader"


class Leader:
    """This instance's claim on the ``leader`` lease; :attr:`held` says whether it has it."""

    def __init__(self, holder: str, ttl_s: float = 10.0, renew_s: float = 3.0) -> None:
        if not 0 < renew_s < ttl_s:
            raise ValueError(f"renew_s ({renew_s}) must be > 0 and below ttl_s ({ttl_s})")
        self.holder, self.ttl_s, self.renew_s = holder, ttl_s, renew_s
        self._held = asyncio.Event()

    @property
    def held(self) -> bool:
        return self._held.is_set()

    async def wait(self) -> None:
        """Until this instance leads."""
        await self._held.wait()

    async def try_once(self) -> bool:
        """Take or renew the lease; on a database error, stop leading (another instance may
        take over once the lease expires, and two must not act as leader)."""
        try:
            got = await lease.hold(NAME, self.holder, self.ttl_s)
        except Exception:
            log.exception("the leader lease could not be renewed; not leading")
            got = False
        if got != self.held:
            log.info("%s %s the fleet's singleton jobs", self.holder,
                     "now runs" if got else "no longer runs")  # fmt: skip
        if got:
            self._held.set()
        else:
            self._held.clear()
        return got

    async def run(self) -> None:
        """Keep trying or renewing every ``renew_s`` until cancelled; then give the lease up."""
        try:
            while True:
                await self.try_once()
                await asyncio.sleep(self.renew_s)
        finally:
            if self.held:
                self._held.clear()
                try:
                    await lease.release(NAME, self.holder)
                except Exception:  # the database is gone: the lease expires by itself
                    log.warning("the leader lease was not released; it expires in %.0f s",
                                self.ttl_s)  # fmt: skip
