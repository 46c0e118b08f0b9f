"""esptool's stub flasher on the emulated ESP32-S3: loaded into RAM through the ROM, then
spoken to in its own protocol (esptool's default path, without ``--no-stub``).

The rig cannot run Xtensa code, so the ROM's RAM download (MEM_BEGIN, MEM_DATA, MEM_END)
keeps what it is sent, and MEM_END with an entry point starts the stub only when the RAM
holds, byte for byte, the stub that the installed esptool ships for the ESP32-S3 (text and
data at their addresses, the same entry): a transfer that lost or changed a byte, or any
other program, starts nothing and the chip stays silent, as a real one would.

The stub, as esptool uses it (esptool/loader.py, ``IS_STUB`` branches):

- greets with the frame ``OHAI`` after the ROM's MEM_END reply;
- replies with two status bytes (the ROM sends four);
- FLASH_BEGIN / FLASH_DEFL_BEGIN take the image's byte count (the ROM takes an erase size
  rounded up) in 16 KiB blocks, and erase as they write;
- SPI_FLASH_MD5 answers 16 raw bytes (the ROM: 32 hex characters);
- ERASE_FLASH (0xD0), ERASE_REGION (0xD1, sector-aligned), READ_FLASH (0xD2: a reply, then
  the data in sector-sized frames, each acknowledged by the host with the count so far, then
  the MD5 of what was sent), RUN_USER_CODE (0xD3);
- CHANGE_BAUDRATE with the new and the old rate; register access as the ROM.
"""

import base64
import functools
import hashlib
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

import esptool

# Stub-only commands (esptool.loader.ESPLoader.ESP_CMDS)
ERASE_FLASH, ERASE_REGION, READ_FLASH, RUN_USER_CODE = 0xD0, 0xD1, 0xD2, 0xD3
GREETING = b"OHAI"
STUB_SUBDIRS = ("2", "1")  # esptool looks for its stub flasher in this order


@dataclass(frozen=True)
class StubImage:
    """The stub flasher esptool uploads to an ESP32-S3: its segments and entry point."""

    text_start: int
    text: bytes
    data_start: int
    data: bytes
    entry: int

    @classmethod
    @functools.cache  # read once per process: every MEM_END compares against it
    def of_installed_esptool(cls) -> "StubImage":
        base = Path(esptool.__file__).parent / "targets" / "stub_flasher"
        for sub in STUB_SUBDIRS:
            path = base / sub / "esp32s3.json"
            if path.exists():
                doc = json.loads(path.read_text())
                return cls(
                    doc["text_start"],
                    base64.b64decode(doc["text"]),
                    doc["data_start"],
                    base64.b64decode(doc.get("data", "")),
                    doc["entry"],
                )
        raise FileNotFoundError(f"no esp32s3.json stub flasher under {base}")


@dataclass
class Ram:
    """What MEM_BEGIN/MEM_DATA wrote, by address (only what was sent is kept)."""

    segments: dict[int, bytearray] = field(default_factory=dict)
    current: int | None = None  # the segment being downloaded
    size: int = 0
    seq: int = 0

    def begin(self, offset: int, size: int) -> None:
        self.segments[offset] = bytearray()
        self.current, self.size, self.seq = offset, size, 0

    def write(self, seq: int, payload: bytes) -> bool:
        """Append one block; False when it is out of sequence or past the segment."""
        if self.current is None or seq != self.seq:
            return False
        seg = self.segments[self.current]
        if len(seg) + len(payload) > self.size:
            return False
        seg += payload
        self.seq += 1
        return True

    def holds(self, image: StubImage) -> bool:
        return (
            bytes(self.segments.get(image.text_start, b"")) == image.text
            and bytes(self.segments.get(image.data_start, b"")) == image.data
        )


def md5_raw(data: bytes) -> bytes:
    return hashlib.md5(data).digest()


def read_frames(data: bytes, sector: int) -> list[bytes]:
    """READ_FLASH's payload frames: the data in ``sector``-sized pieces, then its MD5."""
    frames = [data[i : i + sector] for i in range(0, len(data), sector)]
    return [*frames, md5_raw(data)]


def unpack_read(data: bytes) -> tuple[int, int, int, int] | None:
    if len(data) != 16:
        return None
    offset, length, sector, in_flight = struct.unpack("<IIII", data)
    return offset, length, sector, in_flight
