"""MQTT clients with client certificates for tests of the broker's identity rules: connect
as one identity, record what arrives and what the broker granted."""

import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion


@dataclass
class Identity:
    """A certificate and its key, as files."""

    cert: Path
    key: Path


@dataclass
class Endpoint:
    """A TLS broker to probe: its port, the CA it trusts, the identities to try."""

    port: int
    ca_file: Path
    ids: dict[str, Identity]


@dataclass
class Probe:
    """A connected client that records what it receives and how its subscriptions went."""

    client: mqtt.Client
    received: list[tuple[str, bytes]] = field(default_factory=list)
    granted: dict[int, bool] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, topic_filter: str) -> bool:
        """True when the broker granted the subscription."""
        done = threading.Event()
        result, mid = self.client.subscribe(topic_filter, qos=1)
        assert result == mqtt.MQTT_ERR_SUCCESS
        deadline = time.monotonic() + 5
        while mid not in self.granted and time.monotonic() < deadline:
            done.wait(0.01)
        assert mid in self.granted, f"no SUBACK for {topic_filter}"
        return self.granted[mid]

    def publish(self, topic_name: str, payload: bytes) -> None:
        self.client.publish(topic_name, payload, qos=1).wait_for_publish(5)

    def wait_for(self, payload: bytes, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if any(p == payload for _, p in self.received):
                    return
            time.sleep(0.01)
        raise AssertionError(f"{payload!r} never arrived")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def connect(
    rig: "Endpoint", who: str | None, username: str | None = None, tls: bool = True
) -> Probe | None:
    """A client with ``who``'s certificate (None: none at all); None if it cannot connect."""
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=f"probe-{uuid.uuid4().hex[:8]}",
        protocol=mqtt.MQTTv311,
    )  # fmt: skip
    if tls:
        ident = rig.ids[who] if who else None
        client.tls_set(
            ca_certs=str(rig.ca_file),
            certfile=str(ident.cert) if ident else None,
            keyfile=str(ident.key) if ident else None,
        )
    if username:
        client.username_pw_set(username, "x")
    probe = Probe(client)
    connected = threading.Event()
    refused = threading.Event()

    def on_connect(_c, _u, _f, reason, _p) -> None:  # type: ignore[no-untyped-def]
        (refused if reason.is_failure else connected).set()

    def on_message(_c, _u, msg) -> None:  # type: ignore[no-untyped-def]
        with probe.lock:
            probe.received.append((msg.topic, msg.payload))

    def on_subscribe(_c, _u, mid, reasons, _p) -> None:  # type: ignore[no-untyped-def]
        probe.granted[mid] = not reasons[0].is_failure

    def on_disconnect(*_args: object) -> None:
        refused.set()

    client.on_connect = on_connect
    client.on_disconnect = on_disconnect
    client.on_connect_fail = on_disconnect
    client.on_message = on_message
    client.on_subscribe = on_subscribe
    try:
        client.connect("127.0.0.1", rig.port, keepalive=30)
    except (ssl.SSLError, OSError):
        return None
    client.loop_start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (connected.is_set() or refused.is_set()):
        time.sleep(0.01)
    if connected.is_set() and client.is_connected():
        time.sleep(0.05)  # a TLS 1.3-style late rejection would close the socket by now
        if client.is_connected():
            return probe
    client.loop_stop()
    return None
