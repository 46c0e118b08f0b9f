"""SLIP framing (RFC 1055) as the ESP32 ROM bootloader uses it: each packet between 0xC0
bytes, 0xC0 sent as DB DC and 0xDB as DB DD. Pure."""

from collections.abc import Iterator

END, ESC, ESC_END, ESC_ESC = 0xC0, 0xDB, 0xDC, 0xDD


def encode(packet: bytes) -> bytes:
    return b"\xc0" + packet.replace(b"\xdb", b"\xdb\xdd").replace(b"\xc0", b"\xdb\xdc") + b"\xc0"


class Decoder:
    """Feed it bytes as they arrive; it yields whole packets. Bytes outside a frame (a
    terminal's noise) are dropped, as the ROM drops them."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._in_frame = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        parts = data.split(b"\xc0")
        for i, part in enumerate(parts):
            if self._in_frame:
                self._buf += part
            if i == len(parts) - 1:
                break  # no END after this part yet
            # an END: closes the frame being read (if any) and opens the next
            if self._in_frame and self._buf:
                yield bytes(self._buf).replace(b"\xdb\xdc", b"\xc0").replace(b"\xdb\xdd", b"\xdb")
            self._buf.clear()
            self._in_frame = True
