"""The emulated rig against real esptool (its command line, as a bench engineer runs it):
flash-id, write-flash plain and compressed, verify-flash, read-flash; and esptool's error
paths on a corrupted transfer. Then the ROM protocol's own refusals, packet by packet."""

import hashlib
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hil_tests.rig import rom, slip
from hil_tests.rig.server import Rig

BAUD = "2000000"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path / "rig")
    yield r
    r.close()


def esptool(rig: Rig, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "esptool", "--chip", "esp32s3", "--port", rig.url]
    argv += ["--baud", BAUD, "--no-stub", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def test_flash_id_and_chip_detection(rig: Rig) -> None:
    out = esptool(rig, "flash-id")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "Connected to ESP32-S3" in out.stdout
        and "MAC:                f4:12:fa:00:00:01" in out.stdout
    )
    assert "Manufacturer: ef" in out.stdout and "Detected flash size: 8MB" in out.stdout


@pytest.mark.parametrize("compress", ["--compress", "--no-compress"])
def test_write_verify_and_read_back(rig: Rig, tmp_path: Path, compress: str) -> None:
    data = os.urandom(40_000) + bytes(60_000)  # incompressible, then compressible
    image = tmp_path / "data.bin"
    image.write_bytes(data)
    out = esptool(rig, "write-flash", compress, "0x20000", str(image))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Hash of data verified" in out.stdout
    assert rig.flash.read(0x20000, len(data)) == data
    out = esptool(rig, "verify-flash", "0x20000", str(image))
    assert out.returncode == 0 and "Verification successful" in out.stdout, out.stdout
    back = tmp_path / "back.bin"
    out = esptool(rig, "read-flash", "0x20000", "4096", str(back))  # ROM: 64 bytes a command
    assert out.returncode == 0, out.stdout + out.stderr
    assert back.read_bytes() == data[:4096]


def test_a_corrupted_flash_fails_verify_and_md5(rig: Rig, tmp_path: Path) -> None:
    image = tmp_path / "data.bin"
    image.write_bytes(os.urandom(8192))
    rig.faults.flip_address = 0x30000 + 1234
    out = esptool(rig, "write-flash", "0x30000", str(image))
    assert out.returncode != 0
    assert "MD5 of file does not match data in flash" in out.stdout + out.stderr
    rig.faults.flip_address = None
    rig.flash.mem[0x30000 + 10] ^= 0x01  # a bit that went bad later
    out = esptool(rig, "write-flash", "0x30000", str(image))
    assert out.returncode == 0
    rig.flash.mem[0x30000 + 10] ^= 0x01
    out = esptool(rig, "verify-flash", "0x30000", str(image))
    assert out.returncode != 0 and "Verification failed (digest mismatch)" in out.stdout


def test_a_block_that_never_passes_its_checksum_is_an_error(rig: Rig, tmp_path: Path) -> None:
    image = tmp_path / "data.bin"
    image.write_bytes(os.urandom(5000))
    rig.faults.bad_checksum_seq = 2
    out = esptool(rig, "write-flash", "--no-compress", "0x40000", str(image))
    assert out.returncode != 0
    assert "Checksum error" in out.stdout + out.stderr  # esptool retried, then gave up


def _request(op: int, data: bytes, chk: int = 0) -> bytes:
    return struct.pack("<BBHI", 0, op, len(data), chk) + data


def _status(reply: bytes) -> tuple[int, int]:
    return reply[-4], reply[-3]


def test_rom_refuses_what_the_rom_refuses(tmp_path: Path) -> None:
    flash = rom.Flash(tmp_path / "flash.bin")
    boot = rom.RomBootloader(flash)
    # a write past the end of the flash
    (r,) = boot.handle(
        _request(rom.FLASH_BEGIN, struct.pack("<IIIII", 0x2000, 2, 0x400, 0x7FF000, 0))
    )
    assert _status(r) == (1, rom.ERR_FAILED)
    # a data block without FLASH_BEGIN, then out of sequence, then with a bad checksum
    (r,) = boot.handle(_request(rom.FLASH_DATA, struct.pack("<IIII", 4, 0, 0, 0) + b"abcd"))
    assert _status(r) == (1, rom.ERR_FAILED)
    (r,) = boot.handle(
        _request(rom.FLASH_BEGIN, struct.pack("<IIIII", 0x1000, 4, 0x400, 0x1000, 0))
    )
    assert _status(r) == (0, 0)
    block = b"\x01\x02\x03\x04"
    chk = 0xEF ^ 1 ^ 2 ^ 3 ^ 4
    (r,) = boot.handle(_request(rom.FLASH_DATA, struct.pack("<IIII", 4, 1, 0, 0) + block, chk))
    assert _status(r) == (1, rom.ERR_FAILED)  # sequence 1 before 0
    (r,) = boot.handle(_request(rom.FLASH_DATA, struct.pack("<IIII", 4, 0, 0, 0) + block, chk ^ 1))
    assert _status(r) == (1, rom.ERR_CHECKSUM)
    (r,) = boot.handle(_request(rom.FLASH_DATA, struct.pack("<IIII", 4, 0, 0, 0) + block, chk))
    assert _status(r) == (0, 0) and flash.read(0x1000, 4) == block
    # the ROM answers MD5 in hex text
    (r,) = boot.handle(_request(rom.SPI_FLASH_MD5, struct.pack("<IIII", 0x1000, 4, 0, 0)))
    assert r[8:40] == hashlib.md5(block).hexdigest().encode()
    # a broken deflate stream, and a command the ROM does not know
    boot.handle(_request(rom.FLASH_DEFL_BEGIN, struct.pack("<IIIII", 0x1000, 1, 0x400, 0x2000, 0)))
    junk = b"not zlib"
    chk = 0xEF
    for b in junk:
        chk ^= b
    (r,) = boot.handle(_request(rom.FLASH_DEFL_DATA, struct.pack("<IIII", 8, 0, 0, 0) + junk, chk))
    assert _status(r) == (1, rom.ERR_DEFLATE)
    (r,) = boot.handle(_request(0xD0, b""))  # ERASE_FLASH: the stub's, not the ROM's
    assert _status(r) == (1, rom.ERR_INVALID)
    # SYNC: eight answers, none zero (zero would mean the stub)
    replies = boot.handle(_request(rom.SYNC, b"\x07\x07\x12\x20" + b"\x55" * 32))
    assert len(replies) == 8 and all(struct.unpack("<I", r[4:8])[0] != 0 for r in replies)
    flash.close()


def test_slip_round_trip_across_any_split() -> None:
    packets = [os.urandom(300) + b"\xc0\xdb\xdb\xdc\xc0", b"x", bytes(range(256))]
    stream = b"boot noise" + b"".join(slip.encode(p) for p in packets)
    for step in (1, 2, 7, 64, len(stream)):
        decoder = slip.Decoder()
        got = [p for i in range(0, len(stream), step) for p in decoder.feed(stream[i : i + step])]
        assert got == packets, step
