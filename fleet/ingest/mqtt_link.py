"""The fleet's MQTT connection: subscribe to the contract's tree, feed :class:`Ingest`, and
publish the downlink (recording acks, commands).

paho-mqtt is driven from the asyncio loop (its socket in ``add_reader``/``add_writer``, its
keepalive in a task), so every paho callback runs on the loop's thread and no paho thread
touches asyncio state. Each readable event reads the messages already waiting on the socket
and hands them to :meth:`Ingest.offer` straight from paho's callback; a message costs no task,
no future and no loop pass of its own, which is what keeps ingest near the raw paho rate.

Delivery and back-pressure:

- QoS 1 messages are acknowledged manually (paho's ``manual_ack``): the PUBACK goes out only
  after ingest stored the message, and the session is persistent (``clean_session`` false), so
  what the fleet had not acknowledged when it stopped is delivered again when it returns.
- Before each read the link checks that ingest's queue has room; when it is full, the link
  stops reading the socket until the writer makes room. TCP then pushes back on the broker,
  which holds the backlog (and sends at most ``max_inflight_messages`` unacknowledged ones).
- On a clean stop the link stops reading, lets ingest store and acknowledge what it accepted,
  sends those acks and only then disconnects.

MQTT 3.1.1: v5's per-message property parsing in paho costs a third of the ingest rate and buys
nothing here. With ``share_group`` set, several fleet instances split the messages between them
(``$share/<group>/crms/#``, shared subscriptions, which Mosquitto 2 offers to 3.1.1 clients).
"""

import asyncio
import contextlib
import functools
import logging
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from crmsensor.protocol.topics import ROOT
from fleet.ingest.downlink import Downlink
from fleet.ingest.pipeline import Ingest
from fleet.settings import BrokerTls

log = logging.getLogger("fleet.mqtt")

KEEPALIVE_S = 30
_BACKOFF_MAX_S = 30.0
_CONNECT_TIMEOUT_S = 10.0
_READS_PER_WAKEUP = 256  # messages read per readable event before yielding to other tasks
_MAX_UNCONFIRMED = 1000  # our own QoS 1 publishes waiting for the broker's PUBACK
_SETTLE_S = 10.0  # on stop: how long to wait for ingest to store what it accepted


class _Client(mqtt.Client):
    """paho's client, handing every message straight to ``on_message``.

    paho first looks for per-topic callbacks (``message_callback_add``) by walking a topic
    trie for each message; the fleet registers none, and the walk cost about 8% of ingest's
    time (py-spy, benchmarks/ingest_throughput.py). Should a paho release rename the hook
    overridden here, paho's own path runs instead: slower, not different."""

    def _handle_on_message(self, message: mqtt.MQTTMessage) -> None:
        on_message = self.on_message
        if on_message is not None:
            on_message(self, self._userdata, message)


class LinkError(Exception):
    """The MQTT connection failed or was lost."""


def subscription(share_group: str | None) -> str:
    """The topic filter this instance subscribes to."""
    base = f"{ROOT}/#"
    return f"$share/{share_group}/{base}" if share_group else base


class LinkState:
    """Whether the link is up, and since when (presence needs it)."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.up_since: datetime | None = None
        self.paused = 0  # times reading stopped because ingest's queue was full
        self.losses = 0  # times the link went down after being up

    def up(self) -> None:
        self.up_since = datetime.now(UTC)
        self.connected.set()

    def down(self) -> None:
        if self.connected.is_set():
            self.losses += 1
        self.up_since = None
        self.connected.clear()


class _Connection:
    """One MQTT connection, from CONNECT to its loss or a clean stop."""

    def __init__(
        self,
        ingest: Ingest,
        downlink: Downlink,
        state: LinkState,
        host: str,
        port: int,
        client_id: str,
        tls: BrokerTls | None = None,
        keepalive_s: int = KEEPALIVE_S,
    ) -> None:
        self.ingest, self.state, self.host, self.port = ingest, state, host, port
        self.keepalive_s = keepalive_s
        self.downlink = downlink
        self.loop = asyncio.get_running_loop()
        self.lost: asyncio.Future[str] = self.loop.create_future()
        self._acked: asyncio.Future[int] | None = None
        self._subscribed: asyncio.Future[bool] | None = None
        self._unconfirmed = 0
        self._room = asyncio.Event()
        self._fd = -1
        self._reading = False
        self._resume: asyncio.Task[None] | None = None
        self.messages = 0  # PUBLISH packets received
        c = _Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        c.manual_ack_set(True)
        if tls is not None and tls.enabled:
            # The handshake happens in connect(), in the worker thread like the TCP connect.
            c.tls_set(ca_certs=tls.ca, certfile=tls.cert, keyfile=tls.key)
        c.on_connect = self._on_connect
        c.on_subscribe = self._on_subscribe
        c.on_message = self._on_message
        c.on_publish = self._on_publish
        c.on_disconnect = self._on_disconnect
        self.client = c

    # -- paho callbacks (all on the loop's thread once connected) --------------------------

    def _on_connect(self, _c: Any, _u: Any, _flags: Any, reason: Any, _p: Any) -> None:
        if self._acked is not None and not self._acked.done():
            self._acked.set_result(int(reason.value) if hasattr(reason, "value") else int(reason))

    def _on_subscribe(self, _c: Any, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
        if self._subscribed is not None and not self._subscribed.done():
            self._subscribed.set_result(all(not r.is_failure for r in reasons))

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        self.messages += 1
        qos = message.qos
        ack = functools.partial(self.client.ack, message.mid, qos) if qos else _noop
        payload = message.payload
        if not isinstance(payload, bytes):  # paho types it bytes | bytearray; it is bytes
            payload = bytes(payload)
        self.ingest.offer(message.topic, payload, bool(message.retain), ack)

    def _on_publish(self, _c: Any, _u: Any, _mid: int, _r: Any, _p: Any) -> None:
        self._unconfirmed -= 1
        self._room.set()

    def _on_disconnect(self, _c: Any, _u: Any, _flags: Any, reason: Any, _p: Any) -> None:
        if not self.lost.done():
            self.lost.set_result(str(reason))

    def _register_write(self, _c: Any, _u: Any, sock: Any) -> None:
        self.loop.add_writer(sock, self._on_writable)

    def _unregister_write(self, _c: Any, _u: Any, sock: Any) -> None:
        self.loop.remove_writer(sock)

    def _on_socket_close(self, _c: Any, _u: Any, sock: Any) -> None:
        self.loop.remove_reader(sock)
        self.loop.remove_writer(sock)
        self._reading = False

    # -- socket events ----------------------------------------------------------------------

    def _on_writable(self) -> None:
        rc = self.client.loop_write()
        if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            self._fail(f"write failed ({mqtt.error_string(rc)})")

    def _on_readable(self) -> None:
        # paho reads one packet per loop_read(). Keep reading while packets bring messages;
        # stop at the first read that brought none (nothing left on the socket, or another
        # kind of packet; epoll calls again if more is waiting on the socket, but not for
        # bytes TLS already decrypted, hence pending()).
        pending = getattr(self.client.socket(), "pending", None)
        for _ in range(_READS_PER_WAKEUP):
            if self.ingest.queue.full():
                self._pause_reading()
                return
            before = self.messages
            rc = self.client.loop_read()
            if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                self._fail(f"read failed ({mqtt.error_string(rc)})")
                return
            if self.messages == before and not (pending and pending()):
                return

    def _pause_reading(self) -> None:
        if not self._reading:
            return
        self.loop.remove_reader(self._fd)
        self._reading = False
        self.state.paused += 1
        self._resume = self.loop.create_task(self._resume_when_room())

    async def _resume_when_room(self) -> None:
        await self.ingest.wait_for_room()
        if self.client.socket() is not None and not self.lost.done():
            self._start_reading()

    def _start_reading(self) -> None:
        self.loop.add_reader(self._fd, self._on_readable)
        self._reading = True

    def _fail(self, why: str) -> None:
        if not self.lost.done():
            self.lost.set_result(why)

    # -- lifecycle ----------------------------------------------------------------------------

    async def open(self, topic_filter: str) -> None:
        """Connect, wait for CONNACK, subscribe; raise :class:`LinkError` on failure."""
        self._acked = self.loop.create_future()
        try:
            # The TCP connect blocks, so it runs in a worker thread; paho writes CONNECT there
            # too (no socket callbacks are set yet), and nothing else touches the client.
            await self.loop.run_in_executor(
                None, self.client.connect, self.host, self.port, self.keepalive_s
            )
        except OSError as exc:
            raise LinkError(f"cannot connect: {exc}") from exc
        sock = self.client.socket()
        if sock is None:
            raise LinkError("no socket after connect")
        self._fd = sock.fileno()
        self.client.on_socket_close = self._on_socket_close
        self.client.on_socket_register_write = self._register_write
        self.client.on_socket_unregister_write = self._unregister_write
        if self.client.want_write():  # what CONNECT left unwritten
            self._on_writable()
        self._start_reading()
        code = await self._wait(self._acked, "CONNACK")
        if code != 0:
            raise LinkError(f"broker refused the connection (code {code})")
        self._subscribed = self.loop.create_future()
        self.client.subscribe(topic_filter, qos=1)
        if not await self._wait(self._subscribed, "SUBACK"):
            raise LinkError(f"broker refused the subscription to {topic_filter}")

    async def _wait(self, fut: asyncio.Future[Any], what: str) -> Any:
        done, _ = await asyncio.wait(
            {fut, self.lost}, timeout=_CONNECT_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
        if fut in done:
            return fut.result()
        if self.lost.done():
            raise LinkError(f"connection lost waiting for {what}: {self.lost.result()}")
        raise LinkError(f"no {what} within {_CONNECT_TIMEOUT_S:.0f} s")

    async def serve(self) -> str:
        """Run until the connection is lost; return why."""
        jobs = [
            self.loop.create_task(self._keepalive()),
            self.loop.create_task(self._publish_outbox()),
        ]
        try:
            waiting: list[asyncio.Future[Any]] = [self.lost, *jobs]
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for job in jobs:
                if job.done() and not job.cancelled() and job.exception():
                    return f"{job.get_name()} failed: {job.exception()}"
            return self.lost.result() if self.lost.done() else "stopped"
        finally:
            for job in jobs:
                job.cancel()

    async def _keepalive(self) -> None:
        while self.client.loop_misc() == MQTTErrorCode.MQTT_ERR_SUCCESS:
            await asyncio.sleep(1)
        self._fail("keepalive: no answer from the broker")

    async def _publish_outbox(self) -> None:
        while True:
            topic, payload = await self.downlink.next()
            while self._unconfirmed >= _MAX_UNCONFIRMED:
                self._room.clear()
                await self._room.wait()
            info = self.client.publish(topic, payload, qos=1)
            if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                # Lost link: an ack is idempotent and the device asks again; a command is
                # re-sent by the dispatcher until answered.
                self._fail(f"publish failed ({mqtt.error_string(info.rc)})")
                return
            self._unconfirmed += 1

    async def stop(self) -> None:
        """Stop reading, let ingest store and acknowledge what it took, then disconnect."""
        if self._reading:
            self.loop.remove_reader(self._fd)
            self._reading = False
        if self._resume is not None:
            self._resume.cancel()
        if self.lost.done() or self.client.socket() is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ingest.settle(), _SETTLE_S)
        self.client.disconnect()  # queued behind the acks; written by the writer callback
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.lost), 2)

    def close(self) -> None:
        """Release the socket whatever state the connection is in."""
        if self._resume is not None:
            self._resume.cancel()
        sock = self.client.socket()
        if sock is not None:
            self.loop.remove_reader(sock)
            self.loop.remove_writer(sock)
            sock.close()


def _noop() -> None:
    pass


async def run_link(
    ingest: Ingest,
    downlink: Downlink,
    host: str,
    port: int,
    client_id: str,
    share_group: str | None = None,
    state: LinkState | None = None,
    tls: BrokerTls | None = None,
    keepalive_s: int = KEEPALIVE_S,
) -> None:
    """Keep a subscription open, hand every message to ``ingest`` and publish what
    ``downlink`` holds, until cancelled. A broker that stops answering (a partition: no
    reset, only silence) is noticed within about 1.5 x ``keepalive_s``."""
    state = state or LinkState()
    topic_filter = subscription(share_group)
    backoff = 0.5
    while True:
        conn = _Connection(ingest, downlink, state, host, port, client_id, tls, keepalive_s)
        try:
            await conn.open(topic_filter)
            log.info("subscribed to %s on %s:%d", topic_filter, host, port)
            backoff = 0.5
            state.up()
            why = await conn.serve()
            log.warning("MQTT link to %s:%d lost (%s); reconnecting", host, port, why)
        except LinkError as exc:
            log.warning("MQTT link to %s:%d: %s; retrying in %.1f s", host, port, exc, backoff)
        except asyncio.CancelledError:
            await conn.stop()
            raise
        finally:
            state.down()
            conn.close()
        await asyncio.sleep(backoff)
        backoff = min(_BACKOFF_MAX_S, backoff * 2)
