# Socket settings for the uplink.
import socket

# Linux and lwIP (ESP32) share these values; the unix port's socket module lacks the names.
_IPPROTO_TCP = getattr(socket, "IPPROTO_TCP", 6)
_TCP_NODELAY = getattr(socket, "TCP_NODELAY", 1)


def no_delay(sock):
    # umqtt.simple writes a message's header, topic and payload separately: with Nagle's
    # algorithm each later piece waits for the broker's delayed ACK (about 40 ms a message,
    # which capped uploads near 80 KB/s). Send each write at once.
    try:
        sock.setsockopt(_IPPROTO_TCP, _TCP_NODELAY, 1)
    except (OSError, AttributeError):
        pass
