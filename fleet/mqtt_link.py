"""The fleet's MQTT connection: subscribe to the contract's tree, feed :class:`Ingest`, and
publish what ingest sends back (recording acks) and commands.

aiomqtt drives paho-mqtt from the asyncio loop, so no paho thread touches asyncio state.
Messages are acknowledged manually (paho's ``manual_ack``): the PUBACK for a QoS 1 message
goes out only after ingest stored it, and the session is persistent (``clean_session``
false), so what the fleet had not acknowledged when it stopped is delivered again when it
returns. Back-pressure: the broker sends at most ``max_inflight_messages`` unacknowledged
messages (mqtt_broker_conf), so memory stays bounded while the database catches up; aiomqtt's
own queue is left unbounded on purpose (a full one would discard messages). MQTT 3.1.1: v5's
per-message property parsing in paho costs a third of the ingest rate and buys nothing here.
With ``share_group`` set, several fleet instances split the messages between them
(``$share/<group>/crms/#``, shared subscriptions, which Mosquitto 2 offers to 3.1.1 clients).
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import aiomqtt

from crmsensor.protocol.topics import ROOT
from fleet.ingest import Ingest

log = logging.getLogger("fleet.mqtt")

_BACKOFF_MAX_S = 30.0


def subscription(share_group: str | None) -> str:
    """The topic filter this instance subscribes to."""
    base = f"{ROOT}/#"
    return f"$share/{share_group}/{base}" if share_group else base


class LinkState:
    """Whether the link is up, and since when (presence needs it)."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.up_since: datetime | None = None
        self.outbox: asyncio.Queue[tuple[str, bytes]] | None = None

    def up(self) -> None:
        self.up_since = datetime.now(UTC)
        self.connected.set()

    def down(self) -> None:
        self.up_since = None
        self.connected.clear()


def _acker(client: aiomqtt.Client, message: aiomqtt.Message) -> Callable[[], None]:
    if message.qos == 0:
        return lambda: None
    paho = client._client  # aiomqtt exposes no manual-ack API; paho's own is used
    mid, qos = message.mid, message.qos

    def ack() -> None:
        paho.ack(mid, qos)

    return ack


async def _publish_outbox(client: aiomqtt.Client, outbox: asyncio.Queue[tuple[str, bytes]]) -> None:
    while True:
        topic, payload = await outbox.get()
        try:
            await client.publish(topic, payload, qos=1)
        except aiomqtt.MqttError:
            # Lost link: an ack is idempotent and the device asks again; a command is
            # re-sent by the dispatcher until answered.
            log.debug("could not publish on %s", topic)
            raise


async def run_link(
    ingest: Ingest,
    host: str,
    port: int,
    client_id: str,
    share_group: str | None = None,
    state: LinkState | None = None,
) -> None:
    """Keep a subscription open and hand every message to ``ingest`` until cancelled."""
    state = state or LinkState()
    backoff = 0.5
    while True:
        try:
            client = aiomqtt.Client(
                host,
                port,
                identifier=client_id,
                protocol=aiomqtt.ProtocolVersion.V311,
                keepalive=30,
                clean_session=False,
            )
            client._client.manual_ack_set(True)
            async with client:
                await client.subscribe(subscription(share_group), qos=1)
                log.info("subscribed to %s on %s:%d", subscription(share_group), host, port)
                backoff = 0.5
                state.up()
                publisher = asyncio.create_task(_publish_outbox(client, ingest.outbox))
                try:
                    async for message in client.messages:
                        payload = message.payload
                        if not isinstance(payload, bytes | bytearray):
                            payload = b"" if payload is None else str(payload).encode()
                        await ingest.submit(
                            message.topic.value,
                            bytes(payload),
                            retained=bool(message.retain),
                            ack=_acker(client, message),
                        )
                finally:
                    publisher.cancel()
                    with contextlib.suppress(asyncio.CancelledError, aiomqtt.MqttError):
                        await publisher
        except aiomqtt.MqttError as exc:
            state.down()
            log.warning(
                "MQTT link to %s:%d lost (%s); retrying in %.1f s", host, port, exc, backoff
            )
            await asyncio.sleep(backoff)
            backoff = min(_BACKOFF_MAX_S, backoff * 2)
