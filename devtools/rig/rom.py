"""The ESP32-S3 ROM bootloader's serial protocol, as esptool speaks it, and the stub flasher
esptool loads through it by default (:mod:`devtools.rig.stub`).

A request is ``<BBHI`` (0x00, command, data length, checksum) + data; a response is ``<BBHI``
(0x01, command, data length, value) + data + 4 status bytes (status, error, 0, 0). Data
commands (FLASH_DATA, FLASH_DEFL_DATA) carry ``<IIII`` (length, sequence, 0, 0) and a
checksum: the XOR of the data bytes, seeded with 0xEF. What is emulated, and how esptool uses
it (esptool/loader.py, esptool/targets/esp32s3.py):

- SYNC, answered 8 times with a non-zero value (the stub would answer 0);
- GET_SECURITY_INFO with chip id 9 (ESP32-S3), so esptool detects the chip;
- READ_REG / WRITE_REG over a register file: the eFuse MAC words, and the SPI peripheral's
  user-command sequence, run when SPI_CMD's USR bit is written (RDID for flash-id);
- MEM_BEGIN/MEM_DATA/MEM_END: a RAM download; MEM_END with an entry point starts esptool's
  stub flasher when that is what was loaded (then its protocol: :mod:`devtools.rig.stub`);
- SPI_ATTACH, SPI_SET_PARAMS (accepted); CHANGE_BAUDRATE, which sets the rate at which the
  server paces the link (10 bits a byte each way, like the UART), so transfers take the time
  they would on a badge and parallel flashing is bound by the link, not this machine's CPU;
- FLASH_BEGIN/DATA/END and FLASH_DEFL_BEGIN/DATA/END (zlib stream), erasing up front as the
  ROM does; SPI_FLASH_MD5 (answered as 32 hex characters, as the ROM does); READ_FLASH_SLOW
  (64 bytes per command);
- errors as the ROM reports them: a bad checksum (0x07), a write outside the flash or out of
  sequence (0x06), a broken deflate stream (0x0B), an unknown command (0x05).

Faults a test can inject: a checksum error on every try of one block, and a byte flipped as
it is written (the MD5 check must catch it). Pure protocol over a :class:`Flash`; the TCP
server is :mod:`devtools.rig.server`.
"""

import hashlib
import mmap
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np

from devtools.rig import stub

SYNC, READ_REG, WRITE_REG = 0x08, 0x0A, 0x09
FLASH_BEGIN, FLASH_DATA, FLASH_END = 0x02, 0x03, 0x04
MEM_BEGIN, MEM_END, MEM_DATA = 0x05, 0x06, 0x07
SPI_SET_PARAMS, SPI_ATTACH, READ_FLASH_SLOW, CHANGE_BAUDRATE = 0x0B, 0x0D, 0x0E, 0x0F
FLASH_DEFL_BEGIN, FLASH_DEFL_DATA, FLASH_DEFL_END = 0x10, 0x11, 0x12
SPI_FLASH_MD5, GET_SECURITY_INFO = 0x13, 0x14

ERR_INVALID, ERR_FAILED, ERR_CHECKSUM, ERR_DEFLATE = 0x05, 0x06, 0x07, 0x0B
CHECKSUM_SEED = 0xEF
SECTOR = 0x1000

ESP32S3_CHIP_ID = 9
SPI_BASE = 0x60002000
SPI_CMD, SPI_USR2, SPI_W0 = SPI_BASE + 0x00, SPI_BASE + 0x20, SPI_BASE + 0x58
SPI_CMD_USR = 1 << 18
EFUSE_MAC0 = 0x60007044  # ESP32S3ROM.MAC_EFUSE_REG
RDID, RDSR, RDSR2 = 0x9F, 0x05, 0x35
# A Winbond-like 8 MiB part: manufacturer EF, type 40, capacity 17 (2^0x17 bytes)
FLASH_IDS = {4: 0x1640EF, 8: 0x1740EF, 16: 0x1840EF}


class Flash:
    """The badge's SPI flash: an image file of the flash's size, mapped in memory."""

    def __init__(self, path: Path, size: int = 8 * 1024 * 1024) -> None:
        if not path.exists() or path.stat().st_size != size:
            path.write_bytes(b"\xff" * size)
        self.path = path
        self.size = size
        self._file = path.open("r+b")
        self.mem = mmap.mmap(self._file.fileno(), size)

    def erase(self, offset: int, length: int) -> None:
        start = offset - offset % SECTOR
        end = min(self.size, -(-(offset + length) // SECTOR) * SECTOR)
        self.mem[start:end] = b"\xff" * (end - start)

    def write(self, offset: int, data: bytes) -> None:
        # NOR flash programs by clearing bits: what was not erased stays ANDed
        old = int.from_bytes(self.mem[offset : offset + len(data)], "little")
        new = old & int.from_bytes(data, "little")
        self.mem[offset : offset + len(data)] = new.to_bytes(len(data), "little")

    def read(self, offset: int, length: int) -> bytes:
        return bytes(self.mem[offset : offset + length])

    def close(self) -> None:
        self.mem.flush()
        self.mem.close()
        self._file.close()


@dataclass
class Faults:
    """Faults the rig injects into a transfer (tests set them; a real link has its own)."""

    bad_checksum_seq: int | None = None  # this block's checksum always fails
    flip_address: int | None = None  # this flash byte is written with one bit flipped
    chip_id: int = ESP32S3_CHIP_ID  # another chip's id: esptool must refuse it


@dataclass
class _Download:
    offset: int
    end: int  # the erased region's end: nothing is written past it
    limit: int  # the image's end as FLASH_BEGIN gave it (the stub writes nothing past it)
    blocks: int
    block_size: int
    seq: int = 0
    inflater: "zlib._Decompress | None" = None


Handler = Callable[["RomBootloader", int, bytes, int], "bytes | list[bytes]"]


@dataclass
class RomBootloader:
    flash: Flash
    mac: bytes = bytes.fromhex("f412fa000001")
    faults: Faults = field(default_factory=Faults)
    regs: dict[int, int] = field(default_factory=dict)
    boot_requested: bool = False  # FLASH_END asked to run the app
    stub_running: bool = False  # esptool's stub flasher was loaded and started
    halted: bool = False  # MEM_END jumped into code the rig cannot run: nothing answers
    ram: stub.Ram = field(default_factory=stub.Ram)
    baud: int = 115200  # the UART's rate: the ROM starts here, CHANGE_BAUDRATE moves it
    _download: _Download | None = None

    def __post_init__(self) -> None:
        # eFuse MAC words as esptool's ESP32S3ROM.read_mac reads them
        self.regs[EFUSE_MAC0] = int.from_bytes(self.mac[2:6], "big")
        self.regs[EFUSE_MAC0 + 4] = int.from_bytes(self.mac[0:2], "big")

    # --- one request ----------------------------------------------------------------------

    def handle(self, packet: bytes) -> list[bytes]:
        """The response packets (unframed) to one request packet."""
        if len(packet) < 8 or packet[0] != 0x00 or self.halted:
            return []  # not a request (or READ_FLASH's acknowledgements): ignored
        _d, op, size, chk = struct.unpack("<BBHI", packet[:8])
        data = packet[8:]
        if len(data) != size:
            return [self._reply(op, error=ERR_INVALID)]
        if op == SYNC:  # the ROM answers 8 times, the stub once and with value 0
            if self.stub_running:
                return [self._reply(op)]
            return [self._reply(op, value=0x20120707) for _ in range(8)]
        table = self._STUB_HANDLERS if self.stub_running else self._HANDLERS
        handler = table.get(op)
        if handler is None:
            return [self._reply(op, error=ERR_INVALID)]
        out = handler(self, op, data, chk)
        return out if isinstance(out, list) else [out]

    def _reply(self, op: int, value: int = 0, data: bytes = b"", error: int = 0) -> bytes:
        status = bytes([1 if error else 0, error])
        if not self.stub_running:
            status += b"\0\0"  # the ROM pads its status to 4 bytes; the stub sends 2
        body = data + status
        return struct.pack("<BBHI", 0x01, op, len(body), value) + body

    # --- registers ------------------------------------------------------------------------

    def _read_reg(self, op: int, data: bytes, chk: int) -> bytes:
        (addr,) = struct.unpack("<I", data[:4])
        return self._reply(op, value=self.regs.get(addr, 0))

    def _write_reg(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) % 16:
            return self._reply(op, error=ERR_INVALID)
        for i in range(0, len(data), 16):  # esptool may send several writes in one packet
            addr, value, mask, _delay = struct.unpack("<IIII", data[i : i + 16])
            self.regs[addr] = (self.regs.get(addr, 0) & ~mask) | (value & mask)
            if addr == SPI_CMD and value & SPI_CMD_USR:
                self._spi_user_command()
        return self._reply(op)

    def _spi_user_command(self) -> None:
        command = self.regs.get(SPI_USR2, 0) & 0xFF
        if command == RDID:
            self.regs[SPI_W0] = FLASH_IDS.get(self.flash.size // 0x100000, 0x1740EF)
        else:  # status registers and the rest: idle, nothing protected
            self.regs[SPI_W0] = 0
        self.regs[SPI_CMD] = self.regs.get(SPI_CMD, 0) & ~SPI_CMD_USR  # done at once

    def _security_info(self, op: int, data: bytes, chk: int) -> bytes:
        info = struct.pack("<IBBBBBBBBII", 0, 0, *([0] * 7), self.faults.chip_id, 0)
        return self._reply(op, data=info)

    def _accept(self, op: int, data: bytes, chk: int) -> bytes:
        return self._reply(op)

    def _change_baud(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) != 8:
            return self._reply(op, error=ERR_INVALID)
        (baud, _old) = struct.unpack("<II", data)
        if not 9600 <= baud <= 5_000_000:
            return self._reply(op, error=ERR_FAILED)
        reply = self._reply(op)  # sent at the old rate, then the UART switches
        self.baud = baud
        return reply

    # --- flash ----------------------------------------------------------------------------

    def _begin(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) not in (16, 20):
            return self._reply(op, error=ERR_INVALID)
        erase_size, blocks, block_size, offset = struct.unpack("<IIII", data[:16])
        if offset % SECTOR or offset + erase_size > self.flash.size or block_size == 0:
            self._download = None
            return self._reply(op, error=ERR_FAILED)
        self.flash.erase(offset, erase_size)  # the ROM erases whole sectors up front
        end = min(self.flash.size, -(-(offset + erase_size) // SECTOR) * SECTOR)
        inflater = zlib.decompressobj() if op == FLASH_DEFL_BEGIN else None
        self._download = _Download(
            offset, end, offset + erase_size, blocks, block_size, 0, inflater
        )
        return self._reply(op)

    def _data(self, op: int, data: bytes, chk: int) -> bytes:
        d = self._download
        if d is None or len(data) < 16 or (op == FLASH_DEFL_DATA) != (d.inflater is not None):
            return self._reply(op, error=ERR_FAILED)
        size, seq, _a, _b = struct.unpack("<IIII", data[:16])
        payload = data[16:]
        if size != len(payload):
            return self._reply(op, error=ERR_INVALID)
        checksum = CHECKSUM_SEED ^ int(np.bitwise_xor.reduce(np.frombuffer(payload, np.uint8)))
        if checksum != chk or seq == self.faults.bad_checksum_seq:
            return self._reply(op, error=ERR_CHECKSUM)
        if seq != d.seq:
            return self._reply(op, error=ERR_FAILED)
        if d.inflater is not None:
            try:
                payload = d.inflater.decompress(payload)
            except zlib.error:
                return self._reply(op, error=ERR_DEFLATE)
        if self.stub_running:  # the last block's 0xFF padding is not written by the stub
            payload = payload[: max(0, d.limit - d.offset)]
        if d.offset + len(payload) > d.end:
            return self._reply(op, error=ERR_FAILED)  # past what FLASH_BEGIN erased
        self._program(d.offset, payload)
        d.offset += len(payload)
        d.seq += 1
        return self._reply(op)

    def _program(self, offset: int, payload: bytes) -> None:
        flip = self.faults.flip_address
        if flip is not None and offset <= flip < offset + len(payload):
            corrupted = bytearray(payload)
            corrupted[flip - offset] ^= 0x10
            payload = bytes(corrupted)
        self.flash.write(offset, payload)

    def _end(self, op: int, data: bytes, chk: int) -> bytes:
        self._download = None
        if len(data) >= 4 and struct.unpack("<I", data[:4])[0] == 0:
            self.boot_requested = True  # 0: leave the loader and run the app
        return self._reply(op)

    def _md5(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) != 16:
            return self._reply(op, error=ERR_INVALID)
        addr, size, _a, _b = struct.unpack("<IIII", data)
        if addr + size > self.flash.size:
            return self._reply(op, error=ERR_FAILED)
        md5 = hashlib.md5(self.flash.mem[addr : addr + size])
        return self._reply(op, data=md5.digest() if self.stub_running else md5.hexdigest().encode())

    def _read_slow(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) != 8:
            return self._reply(op, error=ERR_INVALID)
        addr, length = struct.unpack("<II", data)
        if length > 64 or addr + length > self.flash.size:
            return self._reply(op, error=0x0A)  # flash read length error
        return self._reply(op, data=self.flash.read(addr, length).ljust(64, b"\xff"))

    # --- RAM download: how esptool's stub flasher gets in -----------------------------------

    def _mem_begin(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) != 16:
            return self._reply(op, error=ERR_INVALID)
        size, _blocks, _block_size, offset = struct.unpack("<IIII", data)
        self.ram.begin(offset, size)
        return self._reply(op)

    def _mem_data(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) < 16:
            return self._reply(op, error=ERR_INVALID)
        size, seq, _a, _b = struct.unpack("<IIII", data[:16])
        payload = data[16:]
        if size != len(payload):
            return self._reply(op, error=ERR_INVALID)
        if CHECKSUM_SEED ^ int(np.bitwise_xor.reduce(np.frombuffer(payload, np.uint8))) != chk:
            return self._reply(op, error=ERR_CHECKSUM)
        if not self.ram.write(seq, payload):
            return self._reply(op, error=ERR_FAILED)
        return self._reply(op)

    def _mem_end(self, op: int, data: bytes, chk: int) -> list[bytes]:
        if len(data) != 8:
            return [self._reply(op, error=ERR_INVALID)]
        no_entry, entry = struct.unpack("<II", data)
        reply = self._reply(op)  # sent by the ROM before it jumps
        if no_entry:
            return [reply]
        image = stub.StubImage.of_installed_esptool()
        if entry != image.entry or not self.ram.holds(image):
            self.halted = True  # running something the rig cannot: silence until reset
            return [reply]
        self.stub_running = True
        return [reply, stub.GREETING]

    # --- the stub's own commands -------------------------------------------------------------

    def _erase_flash(self, op: int, data: bytes, chk: int) -> bytes:
        self.flash.erase(0, self.flash.size)
        return self._reply(op)

    def _erase_region(self, op: int, data: bytes, chk: int) -> bytes:
        if len(data) != 8:
            return self._reply(op, error=ERR_INVALID)
        offset, size = struct.unpack("<II", data)
        if offset % SECTOR or size % SECTOR or offset + size > self.flash.size:
            return self._reply(op, error=ERR_FAILED)
        self.flash.erase(offset, size)
        return self._reply(op)

    def _read_flash(self, op: int, data: bytes, chk: int) -> list[bytes]:
        req = stub.unpack_read(data)
        if req is None:
            return [self._reply(op, error=ERR_INVALID)]
        offset, length, sector, _in_flight = req
        if sector == 0 or offset + length > self.flash.size:
            return [self._reply(op, error=ERR_FAILED)]
        return [self._reply(op), *stub.read_frames(self.flash.read(offset, length), sector)]

    def _run_user_code(self, op: int, data: bytes, chk: int) -> list[bytes]:
        self.boot_requested = True  # the stub jumps to the app and does not answer
        return []

    _HANDLERS: ClassVar[dict[int, Handler]] = {
        READ_REG: _read_reg,
        WRITE_REG: _write_reg,
        GET_SECURITY_INFO: _security_info,
        SPI_ATTACH: _accept,
        SPI_SET_PARAMS: _accept,
        CHANGE_BAUDRATE: _change_baud,
        FLASH_BEGIN: _begin,
        FLASH_DATA: _data,
        FLASH_END: _end,
        FLASH_DEFL_BEGIN: _begin,
        FLASH_DEFL_DATA: _data,
        FLASH_DEFL_END: _end,
        SPI_FLASH_MD5: _md5,
        READ_FLASH_SLOW: _read_slow,
        MEM_BEGIN: _mem_begin,
        MEM_DATA: _mem_data,
        MEM_END: _mem_end,
    }
    _STUB_HANDLERS: ClassVar[dict[int, Handler]] = {
        **{k: v for k, v in _HANDLERS.items() if k not in (READ_FLASH_SLOW, MEM_END)},
        stub.ERASE_FLASH: _erase_flash,
        stub.ERASE_REGION: _erase_region,
        stub.READ_FLASH: _read_flash,
        stub.RUN_USER_CODE: _run_user_code,
    }
