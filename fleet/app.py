"""The fleet manager's aiohttp application: database, ingest, MQTT link and housekeeping as
background work started and stopped with the app (``cleanup_ctx``)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from fleet import housekeeping
from fleet.api import routes
from fleet.ca import FleetCA, PassphraseKeyStore
from fleet.db import close_db, open_db
from fleet.ingest import Ingest
from fleet.mqtt_link import LinkState, run_link
from fleet.objects import LocalObjectStore, ObjectStore
from fleet.recordings import Recordings
from fleet.settings import FleetSettings
from fleet.state import CA, INGEST, LINK, OBJECTS, SETTINGS
from fleet.webapi import json_errors


async def _database(app: web.Application) -> AsyncIterator[None]:
    await open_db(app[SETTINGS].db_url)
    yield
    await close_db()


def object_store(settings: FleetSettings) -> ObjectStore:
    """S3 when ``[s3] bucket`` is set, else the local folder."""
    if settings.s3.bucket:
        from fleet.objects_s3 import S3ObjectStore  # aiobotocore only when it is used

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
    writer = asyncio.create_task(ingest.run_writer(), name="ingest-writer")
    link = asyncio.create_task(
        run_link(
            ingest,
            settings.broker_host,
            settings.broker_port,
            settings.client_id,
            settings.share_group,
            app[LINK],
            settings.broker_tls,
        ),
        name="mqtt-link",
    )
    jobs = housekeeping.jobs(settings, ingest, app[LINK], app[OBJECTS], app[CA])
    yield
    # Stop reading first, then let the writer store what was already accepted.
    await _stop([*jobs, link, writer])


def create_app(settings: FleetSettings) -> web.Application:
    """Build the application; nothing connects until it starts."""
    settings.check()
    app = web.Application(middlewares=[json_errors])
    app[SETTINGS] = settings
    app[OBJECTS] = object_store(settings)
    app[CA] = (
        FleetCA.open(settings.ca_dir, PassphraseKeyStore(settings.ca_passphrase))
        if settings.ca_dir is not None
        else None
    )
    app[INGEST] = Ingest(Recordings(app[OBJECTS]))
    app[LINK] = LinkState()
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(_objects)
    app.cleanup_ctx.append(_ingest)
    app.add_routes(routes)
    return app


async def start_app(settings: FleetSettings) -> tuple[web.AppRunner, web.Application, str]:
    """Start the app on its HTTP port; return the runner, the app and its base URL."""
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.http_host, settings.http_port)
    await site.start()
    port = runner.addresses[0][1]  # the real port when settings asked for 0
    return runner, app, f"http://{settings.http_host}:{port}/"
