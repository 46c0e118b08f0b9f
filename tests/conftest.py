"""Fixtures every test kind uses: a real Mosquitto with the project's configuration, the
MicroPython unix port, a temporary fleet database and a running fleet manager."""

import asyncio
import inspect
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from devtools import procs
from devtools.broker import MosquittoProcess, free_port, render_config
from devtools.fwtools.runner import run_micropython
from fleet.app import start_app
from fleet.db import close_db, open_db, sqlite_url
from fleet.office import accounts
from fleet.settings import MIN_S3_PART, FleetSettings, S3Settings
from fleet.state import INGEST, LINK

VECTORS = Path(__file__).parent / "vectors"
PG_DSN = os.environ.get("CRMS_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")


# --- broker -----------------------------------------------------------------------------


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoProcess]:
    """A Mosquitto process with the project's dev configuration on a free loopback port."""
    proc = MosquittoProcess(render_config(tmp_path / "broker", free_port()))
    proc.start()
    yield proc
    proc.stop()


class MqttProbe:
    """A plain paho client for tests: publish raw bytes, collect what arrives."""

    def __init__(self, port: int, client_id: str = "") -> None:
        self.messages: list[mqtt.MQTTMessage] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id or None)
        self.client.on_message = lambda _c, _u, msg: self.messages.append(msg)
        self.client.connect("127.0.0.1", port, 30)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=qos, retain=retain).wait_for_publish(5)

    def subscribe(self, topic: str) -> None:
        self.client.subscribe(topic, qos=1)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def mqtt_probe(broker: MosquittoProcess) -> Iterator[MqttProbe]:
    """A test MQTT client connected to :func:`broker`."""
    probe = MqttProbe(broker.config.port)
    yield probe
    probe.close()


# --- MicroPython ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def micropython() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run a script under the MicroPython unix port with the firmware on its path."""

    def run(script: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return run_micropython(script, args, timeout=timeout)

    return run


# --- database ---------------------------------------------------------------------------


async def _postgres_db() -> str | None:
    """Create a throwaway PostgreSQL database; None when no server answers."""
    try:
        conn = await asyncpg.connect(PG_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    name = f"crms_test_{uuid.uuid4().hex[:12]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_DSN.rsplit("/", 1)[0] + "/" + name


async def _drop_postgres_db(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_DSN, timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def fleet_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty fleet database URL: SQLite, and PostgreSQL where it runs."""
    if request.param == "sqlite":
        yield sqlite_url(str(tmp_path / "fleet.sqlite3"))
        return
    url = await _postgres_db()
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_DSN} (set CRMS_TEST_PG to point elsewhere)")
    yield url
    await _drop_postgres_db(url)


# For end-to-end tests whose subject is a device or the broker rather than the database: they
# run on SQLite only, and the database code they reach runs on PostgreSQL in other tests (the
# suite's time on 2 cores is kept under 20 minutes this way).
SQLITE_ONLY = pytest.mark.parametrize("fleet_db_url", ["sqlite"], indirect=True)


@pytest.fixture
async def fleet_db(fleet_db_url: str) -> AsyncIterator[str]:
    """The fleet database opened (tables created) for direct model use."""
    await open_db(fleet_db_url)
    yield fleet_db_url
    await close_db()


# --- S3-compatible object store ---------------------------------------------------------


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An S3-compatible server (moto's, a real HTTP S3 API) on a free loopback port."""
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if server is None:
        pytest.fail("moto_server is missing from the environment: re-run ./bootstrap.sh test")
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    proc = procs.spawn([server, "-H", "127.0.0.1", "-p", str(port)], log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                procs.stop(proc)
                pytest.fail(f"moto_server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
    yield url
    procs.stop(proc)


@pytest.fixture
def s3_settings(s3_endpoint: str) -> S3Settings:
    """A fresh bucket on :func:`s3_endpoint`, and the settings to use it."""
    import botocore.session

    settings = S3Settings(
        bucket=f"crms-{uuid.uuid4().hex[:12]}",
        endpoint_url=s3_endpoint,
        access_key_id="test",
        secret_access_key="test",
        part_size=MIN_S3_PART,
    )
    client = botocore.session.get_session().create_client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=settings.region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=settings.bucket)
    client.close()
    return settings


# --- fleet manager ----------------------------------------------------------------------


class AsAdmin:
    """Requests to a fleet (``url``) with an admin's token (``auth``)."""

    url: str
    auth: dict[str, str]

    async def get(self, path: str) -> Any:
        """GET as the admin; the JSON (or bytes) of a 200."""
        async with aiohttp.ClientSession(headers=self.auth) as http, http.get(self.url + path) as r:
            assert r.status == 200, await r.text()
            return await r.json() if r.content_type == "application/json" else await r.read()

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST JSON as the admin; the JSON answer of a 200 or 201."""
        async with (
            aiohttp.ClientSession(headers=self.auth) as http,
            http.post(self.url + path, json=body) as r,
        ):
            assert r.status in (200, 201), await r.text()
            return await r.json()


class RunningFleet(AsAdmin):
    """A fleet manager started in the test's event loop, with an admin's API token."""

    def __init__(self, app: Any, url: str, token: str) -> None:
        self.app = app
        self.url = url
        self.token = token
        self.auth = {"Authorization": f"Bearer {token}"}  # headers of the admin's requests

    @property
    def ingest(self) -> Any:
        return self.app[INGEST]


async def admin_token(name: str = "admin") -> str:
    """Create an admin user (in the open database) and return an API token of theirs."""
    from fleet.office.models import User

    user = await User.get_or_none(name=name)
    if user is None:  # a fleet started again on the same database keeps its admin
        user = await accounts.add_user(name, None, [accounts.GrantSpec("admin")])
    return await accounts.create_token(user, f"tests-{uuid.uuid4().hex[:8]}")


def _fleet_settings(
    broker: MosquittoProcess, tmp_path: Path, db_url: str | None = None, **more: Any
) -> FleetSettings:
    return FleetSettings(
        db_url=db_url or sqlite_url(str(tmp_path / "fleet.sqlite3")),
        broker_port=broker.config.port,
        http_port=0,
        objects_dir=tmp_path / "objects",
        client_id=f"fleet-test-{uuid.uuid4().hex[:6]}",
        **({"enhance_s": 0.2} | more),
    )


async def _running(settings: FleetSettings) -> AsyncIterator[RunningFleet]:
    """A fleet manager on ``settings`` (fixtures use it as a generator; tests that start
    their own use :func:`running_fleet`, which stops it even when the test fails)."""
    runner, app, url = await start_app(settings)
    try:
        await asyncio.wait_for(app[LINK].connected.wait(), 10)
        yield RunningFleet(app, url, await admin_token())
    finally:
        await runner.cleanup()


running_fleet = asynccontextmanager(_running)


@pytest.fixture
async def fleet(
    broker: MosquittoProcess, tmp_path: Path, fleet_db_url: str
) -> AsyncIterator[RunningFleet]:
    """A fleet manager on :func:`broker`, subscribed before the test starts; once on SQLite
    and once on PostgreSQL (:func:`fleet_db_url`)."""
    async for running in _running(_fleet_settings(broker, tmp_path, fleet_db_url)):
        yield running


@pytest.fixture
async def fleet_s3(
    broker: MosquittoProcess, tmp_path: Path, s3_settings: S3Settings
) -> AsyncIterator[RunningFleet]:
    """:func:`fleet` keeping recordings in an S3 bucket (:func:`s3_settings`)."""
    async for running in _running(_fleet_settings(broker, tmp_path, s3=s3_settings)):
        yield running


async def eventually(check: Callable[[], Any], timeout: float = 15.0, every: float = 0.1) -> Any:
    """Call ``check()`` (its result awaited when awaitable, e.g. a query) until it is truthy."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(every)
    raise AssertionError(f"condition not met in {timeout} s (last value {last!r})")


def load_vectors(name: str = "protocol_v1.json") -> dict[str, Any]:
    """The shared protocol test vectors."""
    data: dict[str, Any] = json.loads((VECTORS / name).read_text())
    return data


class FleetProcess(AsAdmin):
    """The fleet manager as its own process (``crmsensor fleet serve``), to kill and restart."""

    def __init__(
        self, workdir: Path, broker_port: int, db_url: str | None = None, config: Path | None = None
    ) -> None:
        self.workdir = workdir
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/"
        self.argv = [
            sys.executable, "-m", "cli.main", "fleet", "serve",
            "--db", db_url or sqlite_url(str(workdir / "fleet.sqlite3")),
            "--broker", f"127.0.0.1:{broker_port}",
            "--http", f"127.0.0.1:{self.http_port}",
            *(["--config", str(config)] if config else []),
        ]  # fmt: skip
        self.env = {**os.environ, "CRMS_FLEET_OBJECTS_DIR": str(workdir / "objects")}
        self.proc: subprocess.Popen[bytes] | None = None
        self.db_url = db_url or sqlite_url(str(workdir / "fleet.sqlite3"))
        self.auth: dict[str, str] = {}

    def _admin(self) -> None:
        # The console's way to the first admin: `crmsensor fleet user add` and `token create`.
        cli = [sys.executable, "-m", "cli.main", "fleet"]
        db = ["--db", self.db_url]
        subprocess.run([*cli, "user", "add", "admin", "--role", "admin", *db], check=True,
                       capture_output=True, env=self.env, cwd=self.workdir)  # fmt: skip
        token = subprocess.run([*cli, "token", "create", "tests", "--user", "admin", *db],
                               check=True, capture_output=True, text=True, env=self.env,
                               cwd=self.workdir).stdout.strip()  # fmt: skip
        self.auth = {"Authorization": f"Bearer {token}"}

    async def start(self) -> None:
        """Start it (with an admin and their token the first time) and wait until its MQTT
        link is up (``/healthz`` 200)."""
        if not self.auth:
            self._admin()
        self.proc = procs.spawn(self.argv, self.workdir / "fleet.log", self.env)

        async def healthy() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log()
            try:
                async with aiohttp.ClientSession() as http, http.get(self.url + "healthz") as r:
                    return r.status == 200
            except aiohttp.ClientError:
                return False

        await eventually(healthy, timeout=30)

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        if self.proc is not None:
            procs.stop(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        if self.proc is not None:
            procs.stop(self.proc, signal.SIGTERM)

    def log(self) -> str:
        path = self.workdir / "fleet.log"
        return path.read_text()[-3000:] if path.exists() else ""


@pytest.fixture
async def fleet_process(
    broker: MosquittoProcess, tmp_path: Path, fleet_db_url: str
) -> AsyncIterator[FleetProcess]:
    """A fleet manager process on :func:`broker`, started; on SQLite and on PostgreSQL."""
    fp = FleetProcess(tmp_path / "fleet", broker.config.port, fleet_db_url)
    fp.workdir.mkdir()
    await fp.start()
    yield fp
    fp.stop()
