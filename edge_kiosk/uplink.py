"""The kiosk's MQTT link: last will, retained status, publishing on its own channels, and
answering commands (``renew_cert`` installs a new certificate; others are answered as not
supported, as the badge does).

The agent is a plain (non-asyncio) program, so paho's own network thread is fine here.
"""

import logging
import os
import queue
import ssl
import threading
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.errors import ProtocolError
from crmsensor.protocol import LAST_WILL_PAYLOAD, Channel, topic
from crmsensor.protocol.device import (
    decode_command,
    decode_event_ack,
    encode_command_result,
    encode_status_offline,
    encode_status_online,
)
from edge_kiosk import __version__, identity
from edge_kiosk.config import KioskConfig

log = logging.getLogger("edge_kiosk.uplink")


class KioskUplink:
    """Connects (and reconnects) to the broker and publishes the kiosk's messages."""

    def __init__(self, cfg: KioskConfig) -> None:
        self.cfg = cfg
        self.boot = int.from_bytes(os.urandom(4), "big")
        self.connected = threading.Event()
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=cfg.device_id,
            protocol=mqtt.MQTTv311,
            clean_session=True,
        )
        client.will_set(topic(cfg.device_id, Channel.STATUS), LAST_WILL_PAYLOAD, qos=1, retain=True)
        self._tls: ssl.SSLContext | None = None
        if cfg.tls_ca is not None and cfg.tls_cert is not None and cfg.tls_key is not None:
            identity.finish(cfg.tls_cert, cfg.tls_key)  # a renewal cut short by a power loss
            self._tls = ssl.create_default_context(cafile=str(cfg.tls_ca))
            self._tls.load_cert_chain(str(cfg.tls_cert), str(cfg.tls_key))
            client.tls_set_context(self._tls)
        client.reconnect_delay_set(1, 30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self._client = client
        self.renewed = threading.Event()  # set when the next connection needs the new identity
        # ota: the agent's updater (args -> (ok, error)); None: updates refused
        self.on_ota: Callable[[dict[str, Any]], tuple[bool, str | None]] | None = None
        # the fleet's event acks as (first, last) seq ranges, for the agent's outbox
        self.event_acks: queue.SimpleQueue[list[tuple[int, int]]] = queue.SimpleQueue()
        # scenario: a new plan for the screen (args -> (ok, error)); None: no screen here
        self.on_scenario: Callable[[dict[str, Any]], tuple[bool, str | None]] | None = None

    def _on_connect(
        self, client: mqtt.Client, userdata: object, flags: object, rc: object, props: object = None
    ) -> None:
        if getattr(rc, "is_failure", False):
            log.warning("broker refused the connection: %s", rc)
            return
        online = encode_status_online(
            "kiosk", __version__, self.cfg.hw, self.boot, self.cfg.keepalive_s
        )
        client.publish(topic(self.cfg.device_id, Channel.STATUS), online, qos=1, retain=True)
        client.subscribe(topic(self.cfg.device_id, Channel.CMD), qos=1)
        client.subscribe(topic(self.cfg.device_id, Channel.ACK), qos=1)
        self.connected.set()
        log.info("connected to %s:%d", self.cfg.broker_host, self.cfg.broker_port)

    def _on_disconnect(
        self, client: mqtt.Client, userdata: object, flags: object, rc: object, props: object = None
    ) -> None:
        self.connected.clear()

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        if msg.topic.endswith("/" + Channel.ACK.value):
            try:
                ranges = decode_event_ack(bytes(msg.payload))
            except ProtocolError as exc:
                log.warning("dropped a malformed ack: %s", exc)
                return
            if ranges:  # a kiosk's seqs never repeat: the boot is not needed to match
                self.event_acks.put([(first, last) for _boot, first, last in ranges])
            return
        try:
            cmd_id, op, args = decode_command(bytes(msg.payload))
        except ProtocolError as exc:
            log.warning("dropped a malformed command: %s", exc)
            return
        if op == "renew_cert":
            result = self._renew(cmd_id, args)
        elif op == "ota":
            ok, error = self.on_ota(args) if self.on_ota else (False, "updates are not set up")
            result = encode_command_result(cmd_id, ok, {"from": __version__} if ok else None, error)
        elif op == "scenario":
            ok, error = self.on_scenario(args) if self.on_scenario else (False, "no screen here")
            result = encode_command_result(cmd_id, ok, {"plan": args.get("plan")} if ok else None,
                                           error)  # fmt: skip
        else:
            result = encode_command_result(cmd_id, False, None, f"unsupported op: {op}")
        client.publish(topic(self.cfg.device_id, Channel.CMD_RES), result, qos=1)

    def _renew(self, cmd_id: str, args: dict[str, Any]) -> bytes:
        cfg = self.cfg
        if self._tls is None or cfg.tls_cert is None or cfg.tls_key is None:
            return encode_command_result(cmd_id, False, None, "no TLS identity to renew")
        try:
            if args.get("format") != "pem":
                raise ValueError("format must be pem")
            cert, key = str(args["cert"]).encode(), str(args["key"]).encode()
            identity.install(cfg.tls_cert, cfg.tls_key, cert, key)
            self._tls.load_cert_chain(str(cfg.tls_cert), str(cfg.tls_key))
        except (KeyError, ValueError, OSError, ssl.SSLError) as exc:
            return encode_command_result(cmd_id, False, None, f"renew_cert: {exc}")
        log.info("new certificate installed (%s)", args.get("serial"))
        self.renewed.set()
        return encode_command_result(cmd_id, True, {"serial": args.get("serial")})

    def reconnect_if_renewed(self) -> None:
        """After a renewal, connect again (from the agent's thread) to present the new
        certificate: an orderly disconnect, so the broker sends no last will."""
        if not self.renewed.is_set():
            return
        self.renewed.clear()
        self._client.disconnect()
        self._client.loop_stop()
        self.connected.clear()
        self.start()

    def start(self) -> None:
        """Connect in the background; paho retries until the broker is there."""
        self._client.connect_async(self.cfg.broker_host, self.cfg.broker_port, self.cfg.keepalive_s)
        self._client.loop_start()

    def publish(self, channel: Channel, payload: bytes, qos: int = 0) -> bool:
        """Publish on our own channel; False when not connected."""
        if not self.connected.is_set():
            return False
        info = self._client.publish(topic(self.cfg.device_id, channel), payload, qos=qos)
        return info.rc == mqtt.MQTT_ERR_SUCCESS

    def publish_reliably(self, channel: Channel, payload: bytes) -> mqtt.MQTTMessageInfo | None:
        """Publish with QoS 1; the returned info says when the broker acknowledged it. None
        when not connected."""
        if not self.connected.is_set():
            return None
        info = self._client.publish(topic(self.cfg.device_id, channel), payload, qos=1)
        return info if info.rc == mqtt.MQTT_ERR_SUCCESS else None

    def stop(self, reason: str = "shutdown") -> None:
        """Say offline (retained), disconnect and stop the network thread."""
        if self.connected.is_set():
            info = self._client.publish(
                topic(self.cfg.device_id, Channel.STATUS),
                encode_status_offline(reason),
                qos=1,
                retain=True,
            )
            info.wait_for_publish(2)
        self._client.disconnect()
        self._client.loop_stop()
