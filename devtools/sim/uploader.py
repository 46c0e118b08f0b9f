"""A device's side of the recording upload (docs/protocol.md, "recordings"), for simulation,
tests and benchmarks: send the manifest and chunks, read acks, resend what is missing until
the fleet says ``complete``. Faults can be injected: duplicated and reordered chunks, chunks
lost on the way, and dropped connections.

The badge firmware implements the same protocol in MicroPython (the firmware issue); this
one is CPython (aiomqtt) and speaks for any device id it is given.
"""

import asyncio
import hashlib
import json
import logging
import random
from dataclasses import dataclass, field

import aiomqtt

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.chunks import encode_chunk
from crmsensor.protocol.schema import encode_json

log = logging.getLogger("devtools.sim.uploader")


@dataclass(frozen=True)
class Faults:
    """What goes wrong on the way (probabilities per chunk send)."""

    duplicate: float = 0.0
    lose: float = 0.0
    reorder: bool = False
    disconnect_every: int = 0  # drop the connection after this many chunk sends (0: never)
    seed: int = 1


@dataclass
class UploadResult:
    """How the upload went."""

    complete: bool
    rounds: int = 0
    chunks_sent: int = 0
    reconnects: int = 0
    errors: list[str] = field(default_factory=list)


def manifest_for(data: bytes, chunk_size: int, **extra: object) -> dict[str, object]:
    """The manifest of ``data`` cut into ``chunk_size`` chunks (PCM 16 kHz unless overridden)."""
    m: dict[str, object] = {
        "v": 1,
        "size": len(data),
        "chunks": -(-len(data) // chunk_size),
        "chunk_size": chunk_size,
        "sha256": hashlib.sha256(data).hexdigest(),
        "codec": "pcm16",
        "rate": 16000,
        "duration_ms": len(data) * 1000 // 32000,
        "start_ts": None,
    }
    m.update(extra)
    return m


def chunk_messages(data: bytes, chunk_size: int) -> list[bytes]:
    """Every chunk message of ``data``, by index."""
    n = -(-len(data) // chunk_size)
    return [
        encode_chunk(i, i * chunk_size, data[i * chunk_size : (i + 1) * chunk_size], i == n - 1)
        for i in range(n)
    ]


def missing(n: int, ranges: list[list[int]]) -> list[int]:
    """Chunk indexes in ``range(n)`` not covered by the ack's ranges."""
    held: set[int] = set()
    for a, b in ranges:
        held.update(range(a, min(b, n)))
    return [i for i in range(n) if i not in held]


async def _manifest_answer(
    acks: asyncio.Queue[dict[str, object]], wait_s: float, settle_s: float
) -> dict[str, object] | None:
    """What the fleet holds, after a manifest was sent: the last ack read before none came for
    ``settle_s`` (the first within ``wait_s``), or a final one. None when none came at all.

    Right after connecting, nothing is in flight and the manifest's own ack is the answer, so
    ``settle_s`` is short. After sending chunks, the fleet may still be storing them and acks
    keep coming as it does; waiting until they stop (or say complete) avoids resending chunks
    the fleet already has queued."""
    latest = None
    timeout = wait_s
    while True:
        try:
            latest = await asyncio.wait_for(acks.get(), timeout)
        except TimeoutError:
            return latest
        if latest.get("complete") or latest.get("error"):
            return latest
        timeout = settle_s


async def _publish_all(client: aiomqtt.Client, rec_topic: str, payloads: list[bytes]) -> None:
    """Publish at QoS 1, all in flight together; return when the broker acknowledged all."""
    await asyncio.gather(*(client.publish(rec_topic, p, qos=1) for p in payloads))


async def upload(
    host: str,
    port: int,
    device_id: str,
    rec_id: str,
    data: bytes,
    chunk_size: int = 8192,
    faults: Faults | None = None,
    timeout_s: float = 120.0,
    ack_wait_s: float = 1.0,
    manifest_extra: dict[str, object] | None = None,
    window: int = 1,
) -> UploadResult:
    """Upload ``data`` as recording ``rec_id`` until the fleet acknowledges all of it.

    ``ack_wait_s``: how long to wait for the ack to a manifest before sending everything.
    ``window``: QoS 1 chunks in flight at once (1, like the badge's ``umqtt.simple``)."""
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    faults = faults or Faults()
    rng = random.Random(faults.seed)
    manifest = encode_json(manifest_for(data, chunk_size, **(manifest_extra or {})))
    chunks = chunk_messages(data, chunk_size)
    result = UploadResult(False)
    todo = list(range(len(chunks)))
    rec_topic = topic(device_id, Channel.REC_CHUNK, rec_id)
    man_topic = topic(device_id, Channel.REC_MANIFEST, rec_id)
    ack_topic = topic(device_id, Channel.ACK)
    sent_since_connect = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s

    while loop.time() < deadline and not result.complete:
        try:
            async with aiomqtt.Client(host, port, identifier=device_id) as client:
                await client.subscribe(ack_topic, qos=1)
                acks: asyncio.Queue[dict[str, object]] = asyncio.Queue()

                async def read_acks(
                    client: aiomqtt.Client = client,
                    acks: asyncio.Queue[dict[str, object]] = acks,
                ) -> None:
                    async for msg in client.messages:
                        body = json.loads(bytes(msg.payload))
                        if body.get("rec") == rec_id:
                            await acks.put(body)

                reader = asyncio.create_task(read_acks())
                sent_here = False  # chunks sent on this connection
                try:
                    while loop.time() < deadline:
                        # Each round: announce the manifest, learn from the acks what the fleet
                        # holds (this is also how an upload resumes after a reconnect), send
                        # the rest.
                        result.rounds += 1
                        await client.publish(man_topic, manifest, qos=1)
                        settle = ack_wait_s if sent_here else 0.05
                        latest = await _manifest_answer(acks, ack_wait_s, settle)
                        if latest is not None:
                            if latest.get("error"):
                                result.errors.append(str(latest["error"]))
                                if latest["error"] == "rec_id_taken":
                                    return result
                                todo = list(range(len(chunks)))  # dropped: start over
                            elif latest.get("complete"):
                                result.complete = True
                                return result
                            else:
                                todo = missing(len(chunks), latest.get("ranges", []))  # type: ignore[arg-type]
                        order = list(todo)
                        if faults.reorder:
                            rng.shuffle(order)
                        sending: list[bytes] = []
                        for i in order:
                            if rng.random() < faults.lose:
                                continue
                            copies = 2 if rng.random() < faults.duplicate else 1
                            sending += [chunks[i]] * copies
                            sent_since_connect += 1
                            sent_here = True
                            if len(sending) >= window:
                                await _publish_all(client, rec_topic, sending)
                                result.chunks_sent += len(sending)
                                sending = []
                            if (
                                faults.disconnect_every
                                and sent_since_connect >= faults.disconnect_every
                            ):
                                sent_since_connect = 0
                                result.reconnects += 1
                                raise aiomqtt.MqttError("injected disconnect")
                        await _publish_all(client, rec_topic, sending)
                        result.chunks_sent += len(sending)
                finally:
                    reader.cancel()
        except aiomqtt.MqttError as exc:
            log.debug("upload of %s: %s; reconnecting", rec_id, exc)
            await asyncio.sleep(0.2)
    return result
