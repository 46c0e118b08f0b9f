# Connection policy around the MQTT codec (umqtt.simple from micropython-lib): last will,
# retained online status, command subscription, reconnect with backoff. The codec itself is
# never edited; this class only decides when to call it.
import os
import time

from umqtt.simple import MQTTClient

from crms import protocol
from crms.net import no_delay

_BACKOFF_MIN_MS = 1000
_BACKOFF_MAX_MS = 30000


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _ssl_params(tls):
    # What ussl.wrap_socket (firmware/ussl.py) takes: DER bytes and the name to check.
    return {
        "cadata": _read(tls["ca"]),
        "cert": _read(tls["cert"]),
        "key": _read(tls["key"]),
        "server_hostname": tls["server_hostname"],
    }


class Uplink:
    def __init__(self, device_id, broker, keepalive_s, online_payload):
        self.device_id = device_id
        self._broker = broker
        self._keepalive_s = keepalive_s
        self._online = online_payload
        self._client = None
        self._last_io = time.ticks_ms()
        self._backoff_ms = _BACKOFF_MIN_MS
        self._retry_at = time.ticks_ms()
        self.commands = []  # raw cmd payloads received, handled by the app
        self.acks = []  # raw recording ack payloads received, handled by the uploader
        self.evt_acks = []  # raw event ack payloads received, handled by the app

    def connected(self):
        return self._client is not None

    def _on_message(self, topic, msg):
        # Called from inside the codec's read loop: only record, never publish from here.
        t = topic.decode()
        if t.endswith("/" + protocol.CMD):
            self.commands.append(bytes(msg))
        elif t.endswith("/" + protocol.ACK):
            # an event ack names "evt"; a recording's names "rec" (ids cannot hold quotes)
            if b'"evt"' in msg:
                self.evt_acks.append(bytes(msg))
            else:
                self.acks.append(bytes(msg))

    def try_connect(self):
        # One connection attempt if the backoff allows it; True when connected.
        now = time.ticks_ms()
        if self._client is not None:
            return True
        if time.ticks_diff(self._retry_at, now) > 0:
            return False
        status = protocol.topic(self.device_id, protocol.STATUS)
        tls = self._broker.get("tls")
        client = MQTTClient(
            self.device_id,
            self._broker["host"],
            self._broker["port"],
            keepalive=self._keepalive_s,
            ssl=tls is not None,
            ssl_params=_ssl_params(tls) if tls else {},
        )
        client.set_last_will(status, protocol.LAST_WILL, retain=True, qos=1)
        try:
            client.connect(clean_session=True)
            if tls is None:
                no_delay(client.sock)
            client.set_callback(self._on_message)
            client.publish(status, self._online, retain=True, qos=1)
            client.subscribe(protocol.topic(self.device_id, protocol.CMD), qos=1)
            client.subscribe(protocol.topic(self.device_id, protocol.ACK), qos=1)
        except (OSError, AssertionError) as e:
            # umqtt.simple signals a refused CONNACK with MQTTException (an Exception) and a
            # short read with AssertionError; both mean "try again later".
            self._schedule_retry(now)
            print("uplink: connect failed:", repr(e))
            try:
                client.sock.close()
            except Exception:
                pass
            return False
        except Exception as e:
            self._schedule_retry(now)
            print("uplink: broker refused:", repr(e))
            return False
        self._client = client
        self._backoff_ms = _BACKOFF_MIN_MS
        self._last_io = now
        print("uplink: connected to", self._broker["host"], self._broker["port"])
        return True

    def _schedule_retry(self, now):
        jitter = os.urandom(1)[0] * self._backoff_ms // 1024
        self._retry_at = time.ticks_add(now, self._backoff_ms + jitter)
        self._backoff_ms = min(_BACKOFF_MAX_MS, self._backoff_ms * 2)

    def _lost(self, e):
        print("uplink: link lost:", repr(e))
        client, self._client = self._client, None
        try:
            if client is not None:
                client.sock.close()
        except Exception:
            pass
        self._schedule_retry(time.ticks_ms())

    def reconnect(self):
        # Drop the connection and connect again at once (e.g. with a renewed certificate).
        client, self._client = self._client, None
        try:
            if client is not None:
                client.disconnect()
        except Exception:
            pass
        self._retry_at = time.ticks_ms()

    def publish(self, channel, payload, qos=0, retain=False, rec_id=None):
        # Publish on our own channel (a recording's when rec_id is given); False when not
        # connected or the link broke. QoS 1 returns once the broker's PUBACK arrived.
        if self._client is None:
            return False
        try:
            self._client.publish(
                protocol.topic(self.device_id, channel, rec_id), payload, retain, qos
            )
        except (OSError, AssertionError) as e:
            self._lost(e)
            return False
        self._last_io = time.ticks_ms()
        return True

    def poll(self):
        # Read pending downlink messages and keep the session alive; call often.
        if self._client is None:
            return
        try:
            while self._client.check_msg() is not None:
                pass
            now = time.ticks_ms()
            if time.ticks_diff(now, self._last_io) > self._keepalive_s * 500:
                self._client.ping()
                self._last_io = now
        except (OSError, AssertionError) as e:
            self._lost(e)

    def close(self, reason):
        # Orderly shutdown: say offline ourselves (the broker sends no will after DISCONNECT).
        client = self._client
        if client is None:
            return
        try:
            # publish drops the client itself if the link fails (the broker may be gone first)
            self.publish(protocol.STATUS, protocol.status_offline(reason), qos=1, retain=True)
            client.disconnect()
        except OSError:
            pass
        self._client = None
