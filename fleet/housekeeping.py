"""Background work of a fleet instance: presence sweep, command dispatch, health with its
alerts' notifications and escalation, retention, recordings' enhanced copies, services' clips,
and (on the broker's machine) the broker's ACL kept in step with the registry.

Each job runs on its own period and survives its own errors (logged, retried next period).
With several instances, the singleton jobs (presence sweep, health, notifications, retention,
update deadlines, enhancement, clips, screen plans, certificate renewal) run only on the instance
holding the leader lease (fleet/leases/leader.py), and move to another within seconds when it
dies; the rollout scheduler holds a lease of its own. The jobs are idempotent besides, and
what must happen once is guarded by the database (one open alert per device and rule, one
delivery per alert and subscription, a delivery claimed before it is sent), so the moments
two instances overlap (a leader that hung past its lease) are safe. Every instance runs its
own command dispatch (over its own MQTT link) and broker ACL sync.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web

from fleet import retention
from fleet.alerts import rules as health
from fleet.alerts.models import Alert
from fleet.alerts.notifications import AlertPolicy, escalate, notify_opened
from fleet.devices import commands
from fleet.devices.registry import stations_of
from fleet.identity import renewal
from fleet.identity.broker_access import signal_reload, sync_acl
from fleet.leases import lease
from fleet.leases.leader import Leader
from fleet.notify.channels import EmailChannel, SmsGatewayChannel, configured
from fleet.notify.sender import send_due
from fleet.recordings import enhance
from fleet.reviews import service_clips
from fleet.state import (
    CA,
    DOWNLINK,
    LEADER,
    LINK,
    LIVE,
    OBJECTS,
    PRESENCE,
    ROLLOUT_KICK,
    SETTINGS,
    UPLOADS,
)
from fleet.surveys import plans
from fleet.updates import releases, rollouts
from fleet.updates.routes import public_url

log = logging.getLogger("fleet.housekeeping")


Job = Callable[[], Awaitable[object]]


async def _every(period_s: float, job: Job, name: str, leader: Leader | None = None) -> None:
    """Run ``job`` every ``period_s``; with a ``leader``, only while this instance leads (and
    at once when it starts to)."""
    while True:
        if leader is not None and not leader.held:
            await leader.wait()
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; retrying in %.0f s", name, period_s)
        await asyncio.sleep(period_s)


def jobs(app: web.Application) -> list[asyncio.Task[None]]:
    """Start the background jobs of ``app``'s instance; cancel the returned tasks to stop
    them."""
    settings, link, store, ca = app[SETTINGS], app[LINK], app[OBJECTS], app[CA]
    presence, downlink, uploads = app[PRESENCE], app[DOWNLINK], app[UPLOADS]
    n = settings.notify
    channels = configured(
        n.webhook_secret,
        EmailChannel(n.smtp_host, n.smtp_port, n.smtp_from, n.smtp_starttls, n.smtp_user,
                     n.smtp_password) if n.smtp_host else None,
        SmsGatewayChannel(n.sms_url, n.sms_template, n.sms_token) if n.sms_url else None,
    )  # fmt: skip

    def now() -> datetime:
        return datetime.now(UTC)

    async def sweep() -> None:
        gone = await presence.sweep(now(), link.up_since)
        if gone:
            where = await stations_of(gone)
            change = {"online": False, "status_reason": "silent"}
            app[LIVE].publish("device", ((d, where.get(d), change) for d in gone))
            log.info("silent for 1.5 x keepalive, now offline: %s", ", ".join(gone))

    async def dispatch() -> None:
        if link.connected.is_set():
            await commands.dispatch(downlink, now())

    policy = AlertPolicy(n.escalate_after_min, n.restart_grace_s, n.flap_window_s)

    async def check_health() -> None:
        opened: list[tuple[Alert, str | None]] = []
        at = now()
        await health.check_all(settings.health, at, opened)
        if opened:
            await notify_opened(opened, policy, at, link.up_since)

    async def notify() -> None:
        await escalate(policy, now())
        await send_due(channels, now(), first_retry_s=n.retry_first_s)

    async def keep() -> None:
        r = settings.retention
        await retention.apply(
            store,
            now(),
            r.raw_telemetry_days,
            r.hourly_days,
            r.recording_days,
            uploads.forget,
        )

    rv = settings.reviews
    clip_cfg = service_clips.ClipSettings(
        rv.source, rv.preroll_s, rv.postroll_s, rv.wait_days, rv.retry_s
    )

    async def make_clips() -> None:
        while await service_clips.collect():
            pass
        while await service_clips.build_due(store, clip_cfg, now()):
            pass

    async def enhance_recordings() -> None:
        while await enhance.enhance_pending(store, settings.enhance.floor_db):
            pass  # each run handles a batch; go on until nothing is pending

    async def acl() -> None:
        assert settings.broker_acl_file is not None
        await sync_acl(settings.broker_acl_file, settings.broker_pid_file)

    async def expire_deliveries() -> None:
        failed = await releases.expire(now())
        if failed:
            log.warning("%d update deliveries failed: no report before their deadline", failed)

    async def plan_screens() -> None:
        # kiosks registered or moved since the last change, files deleted: new plans
        await plans.refresh(public_url(app), downlink, now())

    kick = app[ROLLOUT_KICK]

    async def roll_out() -> None:
        # One instance at a time; the lease outlives a missed run or two, then moves on.
        # Runs every rollout_s, and at once when kicked (progress, a rollout started).
        while True:
            try:
                if await lease.hold("rollouts", settings.client_id, 3 * settings.rollout_s + 5):
                    await rollouts.run_due(public_url(app), settings.updates.delivery_timeout_s)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("rollout scheduler failed; retrying")
            # a burst of progress events is one run, not one each (each run reads the
            # targets' recent telemetry for the health gate)
            await asyncio.sleep(min(1.0, settings.rollout_s))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(kick.wait(), settings.rollout_s)
            kick.clear()

    leader = app[LEADER]

    def single(period_s: float, job: Job, name: str) -> asyncio.Task[None]:
        return asyncio.create_task(_every(period_s, job, name, leader))

    tasks = [
        asyncio.create_task(leader.run(), name="leader lease"),
        single(settings.sweep_s, sweep, "presence sweep"),
        asyncio.create_task(roll_out()),
        single(settings.sweep_s * 5, expire_deliveries, "update deadlines"),
        asyncio.create_task(_every(min(settings.sweep_s, 0.5), dispatch, "command dispatch")),
        single(settings.health_s, check_health, "health check"),
        single(settings.retention_s, keep, "retention"),
        single(settings.notify_s, notify, "notifications"),
        single(settings.clips_s, make_clips, "service clips"),
        single(settings.screens_s, plan_screens, "screen plans"),
    ]
    if settings.enhance.enabled:
        tasks.append(single(settings.enhance_s, enhance_recordings, "enhancement"))
    if settings.broker_acl_file is not None:
        tasks.append(asyncio.create_task(_every(settings.acl_sync_s, acl, "broker ACL sync")))
    if ca is not None:

        async def renew() -> None:
            assert ca is not None
            await renewal.finish_renewals(ca, settings.broker_pid_file)
            await renewal.start_renewals(ca, now())
            if ca.refresh_crl(now()) and settings.broker_pid_file is not None:
                signal_reload(settings.broker_pid_file)  # the broker reads the fresh CRL

        tasks.append(single(settings.renewal_s, renew, "certificate renewal"))
    return tasks
