"""ESP-IDF partition tables: read the layout from a MicroPython firmware binary.

A MicroPython ESP32-S3 release (``ESP32_GENERIC_S3-*.bin``) is flashed at 0x0 and holds the
second-stage bootloader, the partition table at ``TABLE_OFFSET`` and the app at 0x10000. The
table is a run of 32-byte entries (``<2sBBII16sI``: magic ``AA 50``, type, subtype, offset,
size, NUL-padded label, flags), then an MD5 entry (``EB EB``, 14 bytes of FF, the MD5 of the
entries before it), then FF padding, 0xC00 bytes in all (ESP-IDF's gen_esp32part.py format).

The badge's filesystem goes into the data partition labelled ``vfs``; its offset and size
come from here, never from constants, so another partition layout (4 MiB, 16 MiB, OTA) works.
Pure: bytes in, entries out.
"""

import hashlib
import itertools
import struct
from dataclasses import dataclass

from crmsensor.errors import CrmsError

TABLE_OFFSET = 0x8000
TABLE_SIZE = 0xC00
ENTRY = struct.Struct("<2sBBII16sI")
ENTRY_MAGIC = b"\xaa\x50"
MD5_MAGIC = b"\xeb\xeb"

APP, DATA = 0x00, 0x01
SUBTYPES = {
    APP: {"factory": 0x00, "test": 0x20, **{f"ota_{i}": 0x10 + i for i in range(16)}},
    DATA: {
        "ota": 0x00, "phy": 0x01, "nvs": 0x02, "coredump": 0x03, "nvs_keys": 0x04,
        "efuse": 0x05, "undefined": 0x06, "esphttpd": 0x80, "fat": 0x81, "spiffs": 0x82,
        "littlefs": 0x83,
    },
}  # fmt: skip
VFS_LABEL = "vfs"


class PartitionTableError(CrmsError):
    """A partition table that cannot be used; the message says what is wrong with it."""


@dataclass(frozen=True)
class Partition:
    label: str
    type: int
    subtype: int
    offset: int
    size: int
    flags: int = 0

    @property
    def end(self) -> int:
        return self.offset + self.size


def encode(partitions: list[Partition]) -> bytes:
    """The 0xC00-byte binary table for ``partitions`` (with its MD5 entry)."""
    body = b""
    for p in partitions:
        label = p.label.encode()
        if not 1 <= len(label) <= 16:
            raise PartitionTableError(f"partition label {p.label!r} must be 1-16 bytes")
        body += ENTRY.pack(ENTRY_MAGIC, p.type, p.subtype, p.offset, p.size, label, p.flags)
    body += MD5_MAGIC + b"\xff" * 14 + hashlib.md5(body).digest()
    if len(body) > TABLE_SIZE:
        raise PartitionTableError(f"{len(partitions)} partitions do not fit in 0xC00 bytes")
    return body + b"\xff" * (TABLE_SIZE - len(body))


def decode(table: bytes) -> list[Partition]:
    """The partitions of a binary table; PartitionTableError naming the first problem."""
    out: list[Partition] = []
    for pos in range(0, min(len(table), TABLE_SIZE) - ENTRY.size + 1, ENTRY.size):
        raw = table[pos : pos + ENTRY.size]
        magic = raw[:2]
        if magic == MD5_MAGIC:
            if hashlib.md5(table[:pos]).digest() != raw[16:]:
                raise PartitionTableError(f"partition table MD5 at +{pos:#x} does not match")
            break
        if raw == b"\xff" * ENTRY.size:
            break  # end of table (tables built without MD5 end here)
        if magic != ENTRY_MAGIC:
            raise PartitionTableError(
                f"partition table entry at +{pos:#x} has magic {magic.hex()}, expected aa50"
            )
        _m, ptype, subtype, offset, size, label, flags = ENTRY.unpack(raw)
        name = label.rstrip(b"\x00").decode("ascii", "replace")
        if offset % 0x1000 or size == 0:
            raise PartitionTableError(
                f"partition {name!r}: offset {offset:#x} is not 4 KiB-aligned or size is 0"
            )
        out.append(Partition(name, ptype, subtype, offset, size, flags))
    else:
        raise PartitionTableError("partition table has no end (truncated?)")
    if not out:
        raise PartitionTableError("partition table is empty")
    spans = sorted(out, key=lambda p: p.offset)
    for a, b in itertools.pairwise(spans):
        if b.offset < a.end:
            raise PartitionTableError(f"partitions {a.label!r} and {b.label!r} overlap")
    return out


def from_firmware(firmware: bytes) -> list[Partition]:
    """The partition table of a MicroPython firmware binary flashed at 0x0."""
    if len(firmware) < TABLE_OFFSET + ENTRY.size:
        raise PartitionTableError(
            f"firmware is {len(firmware)} bytes: too short to hold a partition table at "
            f"{TABLE_OFFSET:#x} (is it the app-only image? use the release .bin flashed at 0x0)"
        )
    if firmware[0] != 0xE9:
        raise PartitionTableError(
            f"firmware does not start with an ESP image (first byte {firmware[0]:#04x}, "
            "expected 0xe9): not an ESP32 firmware binary"
        )
    return decode(firmware[TABLE_OFFSET : TABLE_OFFSET + TABLE_SIZE])


def vfs_partition(partitions: list[Partition]) -> Partition:
    """The data partition MicroPython mounts as its filesystem (label ``vfs``)."""
    for p in partitions:
        if p.label == VFS_LABEL and p.type == DATA:
            return p
    labels = ", ".join(p.label for p in partitions)
    raise PartitionTableError(f"no data partition labelled 'vfs' in the table ({labels})")


def app_partition(partitions: list[Partition]) -> Partition:
    """The app partition the bootloader starts (factory, else the first OTA slot)."""
    apps = [p for p in partitions if p.type == APP]
    if not apps:
        raise PartitionTableError("no app partition in the table")
    return next((p for p in apps if p.subtype == SUBTYPES[APP]["factory"]), apps[0])
