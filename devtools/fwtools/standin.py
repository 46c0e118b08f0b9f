"""A stand-in for a MicroPython ESP32-S3 release binary, for the emulated rig and tests.

No MicroPython release can be downloaded here, so tests need a firmware file with the same
structure as ``ESP32_GENERIC_S3-<date>-v<version>.bin``: a second-stage bootloader image at
0x0, an ESP-IDF partition table at 0x8000 with MicroPython's layout, and an app image at
0x10000. Both images are real ESP32-S3 images made by esptool's own image writer (header,
segments, checksum, SHA-256 digest), so esptool, the partition reader and the rig treat them as
they would the release. The app holds filler, not MicroPython: the emulated rig runs the
unix port instead. On the bench, give ``crmsensor badge flash`` the real release (docs/
operations.md, "Flashing badges").
"""

import hashlib

from esptool.bin_image import ELFSection, ESP32S3FirmwareImage

from devtools.fwtools.partitions import APP, DATA, SUBTYPES, TABLE_OFFSET, Partition, encode

MARKER = b"MicroPython stand-in for ESP32_GENERIC_S3 (crmsensor test fixture)"
APP_OFFSET = 0x10000
# MicroPython's ports/esp32/partitions-{4,8,16}MiB.csv: the app partition is 0x1F0000 and
# the rest of the flash after 0x200000 is the filesystem.
FLASH_SIZES_MB = (4, 8, 16)


def layout(flash_mb: int = 8) -> list[Partition]:
    """MicroPython's partition layout for an ESP32-S3 with ``flash_mb`` MiB of flash."""
    if flash_mb not in FLASH_SIZES_MB:
        raise ValueError(f"flash size must be one of {FLASH_SIZES_MB} MiB, got {flash_mb}")
    return [
        Partition("nvs", DATA, SUBTYPES[DATA]["nvs"], 0x9000, 0x6000),
        Partition("phy_init", DATA, SUBTYPES[DATA]["phy"], 0xF000, 0x1000),
        Partition("factory", APP, SUBTYPES[APP]["factory"], APP_OFFSET, 0x1F0000),
        Partition("vfs", DATA, SUBTYPES[DATA]["fat"], 0x200000, flash_mb * 0x100000 - 0x200000),
    ]


def _image(entry: int, sections: list[tuple[bytes, int, bytes]]) -> bytes:
    img = ESP32S3FirmwareImage()
    img.entrypoint = entry
    img.segments = [ELFSection(name, addr, data, 0) for name, addr, data in sections]
    out = img.save(None)
    assert isinstance(out, bytes)
    return out


def _filler(size: int) -> bytes:
    """Deterministic bytes that compress about as well as firmware code does (~2:1)."""
    out = bytearray()
    block = hashlib.sha256(MARKER).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block + bytes(b & 0x0F for b in block)  # half random, half low-entropy
    return bytes(out[:size])


def firmware(app_kib: int = 1500, flash_mb: int = 8) -> bytes:
    """The stand-in release binary, flashed at 0x0: bootloader, table, app (``app_kib``)."""
    if not 1 <= app_kib <= 0x1F0000 // 1024 - 64:
        raise ValueError(f"app size must be 1-{0x1F0000 // 1024 - 64} KiB, got {app_kib}")
    bootloader = _image(0x403C9000, [(b".dram0.bootdesc", 0x3FCE3000, MARKER.ljust(80, b"\0"))])
    app = _image(
        0x42000020,
        [
            (b".flash.appdesc", 0x3C000020, MARKER.ljust(256, b"\0")),
            (b".flash.text", 0x42010020, _filler(app_kib * 1024)),
        ],
    )
    out = bytearray(b"\xff" * APP_OFFSET)
    out[: len(bootloader)] = bootloader
    table = encode(layout(flash_mb))
    out[TABLE_OFFSET : TABLE_OFFSET + len(table)] = table
    return bytes(out) + app
