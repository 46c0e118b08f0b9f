"""The fleet manager's aiohttp application: each capability's state under its own key, its
routes, and its background work started and stopped with the app (``cleanup_ctx``)."""

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator

from aiohttp import web

from fleet import housekeeping
from fleet.db import close_db, open_db
from fleet.devices.ingest_handlers import (
    CommandResultHandler,
    EventHandler,
    PresenceHandler,
    TelemetryHandler,
)
from fleet.devices.presence import Presence
from fleet.identity.ca import FleetCA, PassphraseKeyStore
from fleet.ingest.downlink import Downlink
from fleet.ingest.mqtt_link import LinkState, run_link
from fleet.ingest.pipeline import Ingest
from fleet.ingest.rate_limit import RateLimit
from fleet.leases.leader import Leader
from fleet.office import forwarded
from fleet.office.forwarded import networks
from fleet.office.guard import PRINCIPALS, guard, server_timing
from fleet.office.live import LiveHub
from fleet.office.live_handler import LiveHandler
from fleet.office.live_relay import LiveRelay
from fleet.office.principals import PrincipalCache
from fleet.recordings.ingest_handler import UploadHandler
from fleet.recordings.objects import LocalObjectStore, ObjectStore
from fleet.recordings.uploads import Uploads
from fleet.routes import add_routes
from fleet.settings import FleetSettings, HttpTls, RateLimits, dialect_of
from fleet.state import (
    ADDRESS,
    CA,
    DOWNLINK,
    INGEST,
    LEADER,
    LINK,
    LIVE,
    OBJECTS,
    PRESENCE,
    ROLLOUT_KICK,
    SETTINGS,
    UPLOADS,
    Address,
)
from fleet.surveys.ingest_handler import RatingHandler, RatingPolicy
from fleet.surveys.screen_handler import ScreenHandler
from fleet.updates.ingest_handler import UpdateHandler
from fleet.webapi import json_errors


def make_ingest(
    presence: Presence,
    uploads: Uploads,
    downlink: Downlink,
    live: LiveHub | None = None,
    rollout_kick: asyncio.Event | None = None,
    rating_policy: RatingPolicy | None = None,
    limits: RateLimits | None = None,
) -> Ingest:
    """Ingest with its table of handlers by message type: who stores what devices say."""
    lim = limits or RateLimits()
    return Ingest(
        [
            PresenceHandler(presence),  # every message: proof of life, status
            TelemetryHandler(),
            EventHandler(downlink),
            CommandResultHandler(),
            UploadHandler(uploads, downlink),
            UpdateHandler(rollout_kick),  # ota progress moves updates (and their rollouts)
            RatingHandler(rating_policy),  # customers' ratings, stored once; low ones told
            ScreenHandler(),  # the kiosks' proof of play and what they made of their plans
            LiveHandler(live or LiveHub()),  # every message: the batch's changes, once stored
        ],
        tele_limit=RateLimit(lim.tele_per_s, lim.tele_burst),
        other_limit=RateLimit(lim.other_per_s, lim.other_burst),
    )


async def _database(app: web.Application) -> AsyncIterator[None]:
    await open_db(app[SETTINGS].db_url)
    yield
    await close_db()


def object_store(settings: FleetSettings) -> ObjectStore:
    """S3 when ``[s3] bucket`` is set, else the local folder."""
    if settings.s3.bucket:
        from fleet.recordings.objects_s3 import S3ObjectStore  # aiobotocore only when used

        return S3ObjectStore(settings.s3)
    return LocalObjectStore(settings.objects_dir)


async def _objects(app: web.Application) -> AsyncIterator[None]:
    store = app[OBJECTS]
    await store.open()  # a wrong bucket or credentials stop the start, with the reason
    try:
        yield
    finally:
        await store.close()


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _ingest(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    ingest = app[INGEST]
    await ingest.load_registry()
    await app[PRESENCE].load()
    writer = asyncio.create_task(ingest.run_writer(), name="ingest-writer")
    link = asyncio.create_task(
        run_link(
            ingest,
            app[DOWNLINK],
            settings.broker_host,
            settings.broker_port,
            settings.client_id,
            settings.share_group,
            app[LINK],
            settings.broker_tls,
            settings.broker_keepalive_s,
        ),
        name="mqtt-link",
    )
    jobs = housekeeping.jobs(app)
    yield
    # Stop reading first, then let the writer store what was already accepted, then let
    # recordings being stored finish (for a while).
    await _stop([*jobs, link, writer])
    await app[UPLOADS].close()


async def _live_relay(app: web.Application) -> AsyncIterator[None]:
    """Several instances on PostgreSQL: their web offices' live views see every instance's
    changes (fleet/office/live_relay.py)."""
    settings = app[SETTINGS]
    if dialect_of(settings.db_url) != "postgres" or not settings.share_group:
        yield
        return
    relay = LiveRelay(settings.db_url, settings.client_id, app[LIVE])
    await relay.start()
    app[LIVE].relay = relay.send
    yield
    app[LIVE].relay = None
    await relay.stop()


async def _end_streams(app: web.Application) -> None:
    app[LIVE].close()


def create_app(settings: FleetSettings) -> web.Application:
    """Build the application; nothing connects until it starts."""
    settings.check()
    proxies = networks(settings.trusted_proxies)
    first = [forwarded.middleware(proxies)] if proxies else []
    app = web.Application(
        middlewares=[*first, server_timing, json_errors, guard], client_max_size=1 << 20
    )
    app[SETTINGS] = settings
    app[ADDRESS] = Address()
    app[OBJECTS] = object_store(settings)
    app[CA] = (
        FleetCA.open(settings.ca_dir, PassphraseKeyStore(settings.ca_passphrase))
        if settings.ca_dir is not None
        else None
    )
    app[DOWNLINK] = Downlink()
    app[PRESENCE] = Presence()
    app[UPLOADS] = Uploads(app[OBJECTS])
    app[LIVE] = LiveHub()
    app[PRINCIPALS] = PrincipalCache()
    app[ROLLOUT_KICK] = asyncio.Event()
    app[LEADER] = Leader(settings.client_id, settings.leader_ttl_s, settings.leader_renew_s)
    sv = settings.surveys
    app[INGEST] = make_ingest(
        app[PRESENCE], app[UPLOADS], app[DOWNLINK], app[LIVE], app[ROLLOUT_KICK],
        RatingPolicy(sv.nps_below, sv.stars_below), settings.rate_limit,
    )  # fmt: skip
    app[LINK] = LinkState()
    app.on_shutdown.append(_end_streams)
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(_live_relay)
    app.cleanup_ctx.append(_objects)
    app.cleanup_ctx.append(_ingest)
    add_routes(app)
    return app


def https_context(tls: HttpTls) -> ssl.SSLContext:
    """The server's TLS context; with a client CA, client certificates are asked for (not
    required: password logins still work) and checked against it (and its CRL)."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(tls.cert, tls.key)
    if tls.client_ca:
        ctx.verify_mode = ssl.CERT_OPTIONAL
        ctx.load_verify_locations(cafile=tls.client_ca)
        if tls.client_crl:
            ctx.load_verify_locations(cafile=tls.client_crl)
            ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    return ctx


async def start_app(settings: FleetSettings) -> tuple[web.AppRunner, web.Application, str]:
    """Start the app on its HTTP(S) port; return the runner, the app and its base URL."""
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    tls = https_context(settings.http_tls) if settings.http_tls.enabled else None
    site = web.TCPSite(runner, settings.http_host, settings.http_port, ssl_context=tls)
    await site.start()
    port = runner.addresses[0][1]  # the real port when settings asked for 0
    scheme = "https" if tls else "http"
    app[ADDRESS].url = f"{scheme}://{settings.http_host}:{port}"
    return runner, app, app[ADDRESS].url + "/"
