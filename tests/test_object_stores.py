"""Both object stores keep one contract: the local folder, and S3 through a real S3 HTTP API
(moto's server) with aiobotocore. A recording uploaded over a real Mosquitto lands in S3 and is
downloadable with ranges."""

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiobotocore.session import get_session

from crmsensor.errors import ConfigError
from devtools.broker import MosquittoProcess
from devtools.sim.uploader import Faults, upload
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording
from fleet.recordings.objects import LocalObjectStore, ObjectStore
from fleet.recordings.objects_s3 import S3ObjectStore
from fleet.settings import MIN_S3_PART, S3Settings
from fleet.state import SETTINGS
from tests.conftest import RunningFleet


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    chosen: ObjectStore
    if request.param == "local":
        chosen = LocalObjectStore(tmp_path / "objects")
    else:
        chosen = S3ObjectStore(request.getfixturevalue("s3_settings"))
    await chosen.open()
    yield chosen
    await chosen.close()


async def _parts(data: bytes, step: int) -> AsyncIterator[bytes]:
    for i in range(0, len(data), step):
        yield data[i : i + step]


async def _read(store: ObjectStore, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([part async for part in store.read(key, start, end)])


@pytest.mark.parametrize("size", [0, 1, 300_000, 2 * MIN_S3_PART + 12_345])
async def test_put_read_ranges_delete(store: ObjectStore, size: int) -> None:
    data = os.urandom(size)
    key = "badge-0001/r-1.wav"
    assert await store.put(key, _parts(data, 8192)) == size
    assert await store.size(key) == size
    assert await _read(store, key) == data
    if size > 10:
        assert await _read(store, key, 3, 10) == data[3:10]
        assert await _read(store, key, size - 5) == data[-5:]
    assert await _read(store, key, size, size) == b""
    # Replacing an object replaces it whole.
    assert await store.put(key, _parts(b"new", 2)) == 3
    assert await _read(store, key) == b"new"
    await store.delete(key)
    assert await store.size(key) is None
    await store.delete(key)  # already gone: no error
    with pytest.raises(FileNotFoundError):
        await _read(store, key)


async def test_failed_put_leaves_nothing(store: ObjectStore) -> None:
    big = os.urandom(MIN_S3_PART + 1000)

    async def failing() -> AsyncIterator[bytes]:
        yield big  # a whole S3 part is sent before the failure
        raise OSError("source went away")

    with pytest.raises(OSError, match="source went away"):
        await store.put("badge-0001/r-2.wav", failing())
    assert await store.size("badge-0001/r-2.wav") is None
    if isinstance(store, S3ObjectStore):
        s = store.settings
        async with _client(s) as client:
            pending = await client.list_multipart_uploads(Bucket=s.bucket)
        assert not pending.get("Uploads"), "an aborted upload left its parts behind"


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "UPPER", ""])
async def test_bad_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(ValueError, match="bad object key"):
        await store.put(key, _parts(b"x", 1))


def _client(s: S3Settings) -> Any:
    return get_session().create_client(
        "s3",
        endpoint_url=s.endpoint_url,
        region_name=s.region,
        aws_access_key_id=s.access_key_id,
        aws_secret_access_key=s.secret_access_key,
    )


async def test_missing_bucket_is_a_clear_error(s3_endpoint: str) -> None:
    s = S3Settings(
        bucket="no-such-bucket",
        endpoint_url=s3_endpoint,
        access_key_id="test",
        secret_access_key="test",
    )
    with pytest.raises(ConfigError, match="no-such-bucket"):
        await S3ObjectStore(s).open()


async def test_recording_lands_in_s3_and_downloads_with_ranges(
    fleet_s3: RunningFleet, broker: MosquittoProcess
) -> None:
    dev = "badge-0102"
    await register(DeviceSpec(dev, "badge", "st-1"))
    data = os.urandom(200_000)
    faults = Faults(duplicate=0.2, reorder=True, seed=3)
    result = await upload("127.0.0.1", broker.config.port, dev, "r-9", data, faults=faults)
    assert result.complete, result
    (rec,) = await Recording.filter(device_id=dev)
    assert rec.sha256 == hashlib.sha256(data).hexdigest()

    store = S3ObjectStore(fleet_s3.app[SETTINGS].s3)
    await store.open()
    try:
        assert await _read(store, rec.object_key) == data  # the bytes really are in S3
    finally:
        await store.close()

    audio = f"{fleet_s3.url}api/v1/recordings/{rec.id}/audio"
    async with aiohttp.ClientSession(headers=fleet_s3.auth) as http:
        async with http.get(audio) as r:
            assert r.status == 200 and await r.read() == data
        async with http.get(audio, headers={"Range": "bytes=100-199"}) as r:
            assert r.status == 206 and await r.read() == data[100:200]
