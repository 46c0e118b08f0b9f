"""The emulated rig against real esptool (its command line, as a bench engineer runs it),
through esptool's default path (its stub flasher, loaded into RAM) and the ROM alone
(``--no-stub``): flash-id, write-flash plain and compressed, verify-flash, read-flash,
erase-flash and erase-region; and esptool's error paths on a corrupted transfer. Then the
ROM's and the stub's refusals, packet by packet."""

import hashlib
import os
import signal
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.rig import rom, slip, stub
from devtools.rig.server import Rig

BAUD = "2000000"


LOADERS = ["stub", "no-stub"]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest) -> str:
    """esptool's default (its stub flasher) or the ROM alone."""
    return str(request.param)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path / "rig")
    yield r
    r.close()


def esptool(rig: Rig, *args: str, loader: str = "stub") -> subprocess.CompletedProcess[str]:
    """esptool's command line against ``rig``, then the rig's reset into download mode (what
    the bench's relay does between commands: over a socket esptool cannot pull the lines)."""
    argv = [sys.executable, "-m", "esptool", "--chip", "esp32s3", "--port", rig.url]
    argv += ["--baud", BAUD, *(["--no-stub"] if loader == "no-stub" else []), *args]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    rig.reset(download=True)
    return out


def test_flash_id_and_chip_detection(rig: Rig, loader: str) -> None:
    out = esptool(rig, "flash-id", loader=loader)
    assert out.returncode == 0, out.stdout + out.stderr
    assert ("Stub flasher running." in out.stdout) == (loader == "stub")
    assert (
        "Connected to ESP32-S3" in out.stdout
        and "MAC:                f4:12:fa:00:00:01" in out.stdout
    )
    assert "Manufacturer: ef" in out.stdout and "Detected flash size: 8MB" in out.stdout


@pytest.mark.parametrize("compress", ["--compress", "--no-compress"])
def test_write_verify_and_read_back(rig: Rig, tmp_path: Path, compress: str, loader: str) -> None:
    data = os.urandom(40_000) + bytes(60_001)  # incompressible, then compressible; odd size
    image = tmp_path / "data.bin"
    image.write_bytes(data)
    rig.flash.mem[0x20000 + len(data)] = 0x5A  # the byte after the image must stay
    out = esptool(rig, "write-flash", compress, "0x20000", str(image), loader=loader)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Hash of data verified" in out.stdout
    assert rig.flash.read(0x20000, len(data)) == data
    if loader == "stub":  # the stub writes the image's bytes, not its last block's padding
        assert rig.flash.read(0x20000 + len(data), 1) == b"\xff"  # (erased: same sector)
    out = esptool(rig, "verify-flash", "0x20000", str(image), loader=loader)
    assert out.returncode == 0 and "Verification successful" in out.stdout, out.stdout
    back = tmp_path / "back.bin"
    # the ROM reads 64 bytes a command; the stub streams sectors, acknowledged, then an MD5
    length = 4096 if loader == "no-stub" else len(data)
    out = esptool(rig, "read-flash", "0x20000", str(length), str(back), loader=loader)
    assert out.returncode == 0, out.stdout + out.stderr
    assert back.read_bytes() == data[:length]


def test_the_stub_erases_the_flash_and_a_region(rig: Rig) -> None:
    rig.flash.mem[0x10000:0x12000] = bytes(0x2000)
    out = esptool(rig, "erase-region", "0x11000", "0x1000")
    assert out.returncode == 0, out.stdout + out.stderr
    assert rig.flash.read(0x10000, 0x1000) == bytes(0x1000)  # outside the region: kept
    assert rig.flash.read(0x11000, 0x1000) == b"\xff" * 0x1000
    out = esptool(rig, "erase-flash")
    assert out.returncode == 0, out.stdout + out.stderr
    assert rig.flash.read(0, rig.flash.size) == b"\xff" * rig.flash.size
    out = esptool(rig, "erase-flash", loader="no-stub")  # the ROM cannot
    assert out.returncode != 0


def test_a_corrupted_flash_fails_verify_and_md5(rig: Rig, tmp_path: Path, loader: str) -> None:
    image = tmp_path / "data.bin"
    image.write_bytes(os.urandom(8192))
    rig.faults.flip_address = 0x30000 + 1234
    out = esptool(rig, "write-flash", "0x30000", str(image), loader=loader)
    assert out.returncode != 0
    assert "MD5 of file does not match data in flash" in out.stdout + out.stderr
    rig.faults.flip_address = None
    rig.flash.mem[0x30000 + 10] ^= 0x01  # a bit that went bad later
    out = esptool(rig, "write-flash", "0x30000", str(image), loader=loader)
    assert out.returncode == 0
    rig.flash.mem[0x30000 + 10] ^= 0x01
    out = esptool(rig, "verify-flash", "0x30000", str(image), loader=loader)
    assert out.returncode != 0 and "Verification failed (digest mismatch)" in out.stdout


def test_a_block_that_never_passes_its_checksum_is_an_error(rig: Rig, tmp_path: Path) -> None:
    image = tmp_path / "data.bin"
    image.write_bytes(os.urandom(5000))
    rig.faults.bad_checksum_seq = 2
    out = esptool(rig, "write-flash", "--no-compress", "0x40000", str(image), loader="no-stub")
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


def _load(boot: rom.RomBootloader, offset: int, data: bytes) -> None:
    block = 0x1800
    blocks = -(-len(data) // block)
    (r,) = boot.handle(
        _request(rom.MEM_BEGIN, struct.pack("<IIII", len(data), blocks, block, offset))
    )
    assert _status(r) == (0, 0)
    for seq in range(blocks):
        part = data[seq * block : (seq + 1) * block]
        chk = 0xEF
        for b in part:
            chk ^= b
        (r,) = boot.handle(
            _request(rom.MEM_DATA, struct.pack("<IIII", len(part), seq, 0, 0) + part, chk)
        )
        assert _status(r) == (0, 0)


def test_the_rom_starts_only_esptools_stub_intact(tmp_path: Path) -> None:
    image = stub.StubImage.of_installed_esptool()
    flash = rom.Flash(tmp_path / "flash.bin")
    # the stub with one byte changed: the ROM jumps into it, and nothing answers again
    boot = rom.RomBootloader(flash)
    bad = bytearray(image.text)
    bad[100] ^= 1
    _load(boot, image.text_start, bytes(bad))
    _load(boot, image.data_start, image.data)
    replies = boot.handle(_request(rom.MEM_END, struct.pack("<II", 0, image.entry)))
    assert len(replies) == 1 and _status(replies[0]) == (0, 0)
    assert boot.handle(_request(rom.READ_REG, struct.pack("<I", rom.EFUSE_MAC0))) == []
    # intact: MEM_END's reply, then the stub's greeting; then the stub's two status bytes
    boot = rom.RomBootloader(flash)
    _load(boot, image.text_start, image.text)
    _load(boot, image.data_start, image.data)
    replies = boot.handle(_request(rom.MEM_END, struct.pack("<II", 0, image.entry)))
    assert replies[1:] == [stub.GREETING] and boot.stub_running
    (r,) = boot.handle(_request(stub.ERASE_REGION, struct.pack("<II", 0x1000, 0x800)))
    assert r[-2:] == bytes([1, rom.ERR_FAILED])  # not a whole sector
    (r,) = boot.handle(_request(rom.READ_FLASH_SLOW, struct.pack("<II", 0, 64)))
    assert r[-2:] == bytes([1, rom.ERR_INVALID])  # the ROM's slow read is gone
    (r,) = boot.handle(_request(rom.SPI_FLASH_MD5, struct.pack("<IIII", 0, 4096, 0, 0)))
    assert r[8:24] == hashlib.md5(b"\xff" * 4096).digest() and r[24:] == b"\0\0"
    flash.close()


def test_hil_rig_serves_a_badge_until_interrupted(tmp_path: Path) -> None:
    """``crmsensor hil rig``: a bench script's emulated badge, found at the printed URL; each
    esptool run finds it in download mode; its flash image outlives the process."""
    argv = [sys.executable, "-m", "cli.main", "hil", "rig", "--dir", str(tmp_path / "r")]
    proc = subprocess.Popen([*argv, "--flash-mb", "4"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first.split(" at ")[-1].strip()
        assert url.startswith("socket://127.0.0.1:"), first
        image = tmp_path / "img.bin"
        image.write_bytes(os.urandom(5000))
        base = [sys.executable, "-m", "esptool", "--chip", "esp32s3", "--port", url]
        out = subprocess.run([*base, "write-flash", "0x1000", str(image)],
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert out.returncode == 0, out.stdout + out.stderr
        out = subprocess.run([*base, "flash-id"], capture_output=True, text=True, timeout=60,
                             check=False)  # fmt: skip
        assert out.returncode == 0 and "Detected flash size: 4MB" in out.stdout, out.stdout
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    flash = (tmp_path / "r" / "flash.bin").read_bytes()
    assert len(flash) == 4 * 1024 * 1024 and flash[0x1000 : 0x1000 + 5000] == image.read_bytes()
