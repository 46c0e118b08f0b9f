"""The fleet's MQTT connection: subscribe to the contract's tree and feed :class:`Ingest`.

aiomqtt drives paho-mqtt from the asyncio loop, so no paho thread touches asyncio state.
With ``share_group`` set, several fleet instances split the messages between them
(``$share/<group>/crms/#``, MQTT 5 shared subscriptions).
"""

import asyncio
import logging

import aiomqtt

from crmsensor.protocol.topics import ROOT
from fleet.ingest import Ingest

log = logging.getLogger("fleet.mqtt")

_BACKOFF_MAX_S = 30.0


def subscription(share_group: str | None) -> str:
    """The topic filter this instance subscribes to."""
    base = f"{ROOT}/#"
    return f"$share/{share_group}/{base}" if share_group else base


async def run_link(
    ingest: Ingest,
    host: str,
    port: int,
    client_id: str,
    share_group: str | None = None,
    connected: asyncio.Event | None = None,
) -> None:
    """Keep a subscription open and hand every message to ``ingest`` until cancelled."""
    backoff = 0.5
    while True:
        try:
            async with aiomqtt.Client(
                host,
                port,
                identifier=client_id,
                protocol=aiomqtt.ProtocolVersion.V5,
                keepalive=30,
            ) as client:
                await client.subscribe(subscription(share_group), qos=1)
                log.info("subscribed to %s on %s:%d", subscription(share_group), host, port)
                backoff = 0.5
                if connected is not None:
                    connected.set()
                async for message in client.messages:
                    payload = message.payload
                    if not isinstance(payload, bytes | bytearray):
                        payload = b"" if payload is None else str(payload).encode()
                    await ingest.submit(message.topic.value, bytes(payload))
        except aiomqtt.MqttError as exc:
            if connected is not None:
                connected.clear()
            log.warning(
                "MQTT link to %s:%d lost (%s); retrying in %.1f s", host, port, exc, backoff
            )
            await asyncio.sleep(backoff)
            backoff = min(_BACKOFF_MAX_S, backoff * 2)
