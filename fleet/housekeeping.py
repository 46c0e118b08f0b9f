"""Background work of a fleet instance: presence sweep, command dispatch, health, retention,
recordings' enhanced copies, and (on the broker's machine) the broker's ACL kept in step with
the registry.

Each job runs on its own period and survives its own errors (logged, retried next period).
With several instances every one runs them; the jobs are idempotent, so that is safe (a
PostgreSQL advisory lock to run each once is a later refinement).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fleet import commands, enhance, health, renewal, retention
from fleet.broker_access import signal_reload, sync_acl
from fleet.ca import FleetCA
from fleet.ingest import Ingest
from fleet.mqtt_link import LinkState
from fleet.objects import ObjectStore
from fleet.settings import FleetSettings

log = logging.getLogger("fleet.housekeeping")


async def _every(period_s: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    while True:
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; retrying in %.0f s", name, period_s)
        await asyncio.sleep(period_s)


def jobs(
    settings: FleetSettings,
    ingest: Ingest,
    link: LinkState,
    store: ObjectStore,
    ca: FleetCA | None = None,
) -> list[asyncio.Task[None]]:
    """Start the background jobs; cancel the returned tasks to stop them."""

    def now() -> datetime:
        return datetime.now(UTC)

    async def sweep() -> None:
        gone = await ingest.presence.sweep(now(), link.up_since)
        if gone:
            log.info("silent for 1.5 x keepalive, now offline: %s", ", ".join(gone))

    async def dispatch() -> None:
        if link.connected.is_set():
            await commands.dispatch(ingest.outbox, now())

    async def check_health() -> None:
        await health.check_all(settings.health, now())

    async def keep() -> None:
        r = settings.retention
        await retention.apply(
            store,
            now(),
            r.raw_telemetry_days,
            r.hourly_days,
            r.recording_days,
            ingest.recordings.forget,
        )

    async def enhance_recordings() -> None:
        while await enhance.enhance_pending(store, settings.enhance.floor_db):
            pass  # each run handles a batch; go on until nothing is pending

    async def acl() -> None:
        assert settings.broker_acl_file is not None
        await sync_acl(settings.broker_acl_file, settings.broker_pid_file)

    tasks = [
        asyncio.create_task(_every(settings.sweep_s, sweep, "presence sweep")),
        asyncio.create_task(_every(min(settings.sweep_s, 0.5), dispatch, "command dispatch")),
        asyncio.create_task(_every(settings.health_s, check_health, "health check")),
        asyncio.create_task(_every(settings.retention_s, keep, "retention")),
    ]
    if settings.enhance.enabled:
        tasks.append(
            asyncio.create_task(_every(settings.enhance_s, enhance_recordings, "enhancement"))
        )
    if settings.broker_acl_file is not None:
        tasks.append(asyncio.create_task(_every(settings.acl_sync_s, acl, "broker ACL sync")))
    if ca is not None:

        async def renew() -> None:
            assert ca is not None
            await renewal.finish_renewals(ca, settings.broker_pid_file)
            await renewal.start_renewals(ca, now())
            if ca.refresh_crl(now()) and settings.broker_pid_file is not None:
                signal_reload(settings.broker_pid_file)  # the broker reads the fresh CRL

        tasks.append(asyncio.create_task(_every(settings.renewal_s, renew, "certificate renewal")))
    return tasks
