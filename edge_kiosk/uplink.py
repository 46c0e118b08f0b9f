"""The kiosk's MQTT link: last will, retained status, publishing on its own channels.

The agent is a plain (non-asyncio) program, so paho's own network thread is fine here.
"""

import logging
import os
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.protocol import LAST_WILL_PAYLOAD, Channel, topic
from crmsensor.protocol.device import encode_status_offline, encode_status_online
from edge_kiosk import __version__
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
        if cfg.tls_ca is not None:
            client.tls_set(
                ca_certs=str(cfg.tls_ca), certfile=str(cfg.tls_cert), keyfile=str(cfg.tls_key)
            )
        client.reconnect_delay_set(1, 30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        self._client = client

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
        self.connected.set()
        log.info("connected to %s:%d", self.cfg.broker_host, self.cfg.broker_port)

    def _on_disconnect(
        self, client: mqtt.Client, userdata: object, flags: object, rc: object, props: object = None
    ) -> None:
        self.connected.clear()

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
