"""Property-based fuzzing of ingest (hypothesis): thousands of malformed, lying, replayed and
valid messages. Whatever comes in, ingest never raises, and what it stored is valid: every
telemetry row decodes under the contract, every staged chunk fits its manifest, every
recording's object matches its size and sha256."""

import asyncio
import binascii
import hashlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmsensor.protocol import decode, parse_topic
from crmsensor.protocol.chunks import HEADER, encode_chunk
from crmsensor.protocol.schema import encode_json
from fleet.app import make_ingest
from fleet.db import close_db, open_db, sqlite_url
from fleet.devices.models import Telemetry
from fleet.devices.presence import Presence
from fleet.devices.registry import DeviceSpec, register
from fleet.ingest.downlink import Downlink
from fleet.recordings.models import Recording, Upload, UploadChunk
from fleet.recordings.objects import LocalObjectStore
from fleet.recordings.uploads import Uploads, chunk_problem
from fleet.settings import RateLimits
from tests.conftest import load_vectors

DEV = "badge-0001"
DATA = bytes(range(256)) * 20  # 5120 bytes: 5 chunks of 1024
GOOD_MANIFEST = {
    "v": 1,
    "size": len(DATA),
    "chunks": 5,
    "chunk_size": 1024,
    "sha256": hashlib.sha256(DATA).hexdigest(),
    "codec": "pcm16",
    "rate": 16000,
    "duration_ms": 160,
}
FIELDS = [
    "v",
    "state",
    "seq",
    "uptime_s",
    "batt_pct",
    "type",
    "size",
    "chunks",
    "chunk_size",
    "sha256",
    "codec",
    "rate",
    "duration_ms",
    "id",
    "ok",
    "fps",
    "rssi_dbm",
    "data",
]

devices = st.sampled_from([DEV, DEV, DEV, "ghost-0001", "BAD!", "a"])
recs = st.sampled_from(["r1", "r1", "r2", "R!", "x" * 41])
channels = st.sampled_from(
    [
        "status",
        "tele",
        "evt",
        "cmd/res",
        "ack",
        "cmd",
        "rec/{r}/manifest",
        "rec/{r}/chunk",
        "rec/{r}/chunk",
        "rec/{r}/chunk",
        "rec//chunk",
        "nope",
        "tele/extra",
    ]
)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
    st.text(max_size=80),
    st.lists(st.integers(), max_size=3),
    st.just({"k": 1}),
    st.sampled_from(["online", "offline", "worn", "pcm16", GOOD_MANIFEST["sha256"]]),
)


@st.composite
def topics(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=60))
    ch = draw(channels).format(r=draw(recs))
    version = draw(st.sampled_from(["v1", "v1", "v1", "v2"]))
    return f"crms/{version}/{draw(devices)}/{ch}"


@st.composite
def json_payloads(draw: st.DrawFn) -> bytes:
    obj = {k: draw(values) for k in draw(st.lists(st.sampled_from(FIELDS), max_size=8))}
    if draw(st.booleans()):
        obj["v"] = 1
    return json.dumps(obj).encode()


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    m = dict(GOOD_MANIFEST)
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(m)))
        m[key] = draw(st.one_of(values, st.integers(0, 10_000)))
    return encode_json(m)


@st.composite
def chunks(draw: st.DrawFn) -> bytes:
    index = draw(st.integers(0, 6))
    good = encode_chunk(
        min(index, 4), min(index, 4) * 1024, DATA[index * 1024 : (index + 1) * 1024], index >= 4
    )
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return good  # valid (or a replay of one)
    if kind == 1:  # a header that lies about offset or length, with a correct CRC
        data = draw(st.binary(max_size=1100))
        crc = binascii.crc32(data) & 0xFFFFFFFF
        offset = draw(st.integers(0, 2**32 - 1))
        return HEADER.pack(b"CK", 1, draw(st.integers(0, 1)), index, offset, len(data), crc) + data
    if kind == 2:  # flipped bits
        pos = draw(st.integers(0, len(good) - 1))
        return good[:pos] + bytes([good[pos] ^ draw(st.integers(1, 255))]) + good[pos + 1 :]
    if kind == 3:
        return good[: draw(st.integers(0, len(good) - 1))]
    return b"x" * draw(st.sampled_from([9000, 20_000]))


vector_payloads = st.sampled_from(
    [
        bytes.fromhex(v["payload_hex"]) if "payload_hex" in v else json.dumps(v["payload"]).encode()
        for v in load_vectors()["device_to_fleet"]
    ]
)
payloads = st.one_of(
    st.binary(max_size=300),
    json_payloads(),
    manifests(),
    chunks(),
    chunks(),
    vector_payloads,
    st.just(b"{" * 5000),
    st.just(b'{"v":1,"seq":' + b"9" * 3000 + b"}"),
)


@st.composite
def matched(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """A payload on the channel it is meant for (valid or mutated)."""
    rec = draw(st.sampled_from(["r1", "r2"]))
    base = f"crms/v1/{draw(devices)}/"
    topic, payload = draw(
        st.sampled_from(
            [
                (base + f"rec/{rec}/manifest", manifests()),
                (base + f"rec/{rec}/chunk", chunks()),
                (base + "tele", vector_payloads),
                (base + "status", vector_payloads),
                (base + "evt", json_payloads()),
            ]
        )
    )
    return topic, draw(payload), draw(st.booleans())


@st.composite
def whole_uploads(draw: st.DrawFn) -> list[tuple[str, bytes, bool]]:
    """A manifest and every chunk, shuffled, some twice: a recording that must complete."""
    rec = draw(st.sampled_from(["r1", "r2", "r3"]))
    base = f"crms/v1/{DEV}/rec/{rec}/"
    parts = [
        (base + "chunk", encode_chunk(i, i * 1024, DATA[i * 1024 : (i + 1) * 1024], i == 4), False)
        for i in range(5)
    ]
    parts += draw(st.lists(st.sampled_from(parts), max_size=3))
    parts = draw(st.permutations(parts))
    return [(base + "manifest", encode_json(GOOD_MANIFEST), False), *parts]


singles = st.one_of(st.tuples(topics(), payloads, st.booleans()), matched(), matched())
messages = st.one_of(
    st.lists(singles, min_size=1, max_size=10),
    st.tuples(whole_uploads(), st.lists(singles, max_size=4)).map(lambda t: t[0] + t[1]),
)


def test_ingest_never_fails_and_stores_only_valid_data(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    store = LocalObjectStore(tmp_path / "objects")
    downlink = Downlink()
    uploads = Uploads(store)
    # valid telemetry past a device's budget would be refused, not stored: no budget here
    ingest = make_ingest(Presence(), uploads, downlink, limits=RateLimits(tele_per_s=0))
    submitted = 0

    async def setup() -> None:
        await open_db(sqlite_url(str(tmp_path / "fleet.sqlite3")))
        await register(DeviceSpec(DEV, "badge", "st-1"))
        await ingest.load_registry()

    loop.run_until_complete(setup())

    @settings(
        max_examples=1500,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(messages)
    def feed(batch: list[tuple[str, bytes, bool]]) -> None:
        nonlocal submitted

        async def go() -> None:
            for topic, payload, retained in batch:
                await ingest.submit(topic, payload, retained=retained)
            await ingest.flush()
            await uploads.settle()  # complete recordings are stored beside ingest
            downlink.drain()

        loop.run_until_complete(go())
        submitted += len(batch)

    try:
        feed()

        async def check() -> None:
            s = ingest.stats
            assert submitted >= 3000
            assert sum(s.accepted.values()) > 1000 and sum(s.rejected.values()) > 1000
            assert await Recording.all().count() >= 1
            for row in await Telemetry.all():
                payload = encode_json({"v": 1, **row.data})
                decode(parse_topic(f"crms/v1/{DEV}/tele"), payload)  # raises if invalid
            for upload in await Upload.all():
                for c in await UploadChunk.filter(upload_id=upload.id):
                    m = upload.manifest
                    last = c.index == m["chunks"] - 1
                    assert not chunk_problem(
                        m, c.index, c.index * m["chunk_size"], len(c.data), last
                    )
            for rec in await Recording.all():
                body = b"".join([part async for part in store.read(rec.object_key)])
                assert len(body) == rec.size and hashlib.sha256(body).hexdigest() == rec.sha256
            objects = {
                p.relative_to(store.root).as_posix() for p in store.root.rglob("*") if p.is_file()
            }
            assert objects == {r.object_key for r in await Recording.all()}

        loop.run_until_complete(check())
    finally:
        loop.run_until_complete(close_db())
        loop.close()
