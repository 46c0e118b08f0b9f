"""Binary layout of a recording chunk (``rec/<id>/chunk``): an 18-byte header, then data.

======  ====  =====================================================
offset  size  field (big-endian)
======  ====  =====================================================
0       2     magic ``b"CK"``
2       1     layout version, 1
3       1     flags: bit 0 = last chunk of the recording
4       4     chunk index, from 0
8       4     byte offset of this chunk's data in the recording
12      2     data length in bytes (at most :data:`MAX_CHUNK_DATA`)
14      4     CRC-32 (zlib/binascii polynomial) of the data
18      n     data
======  ====  =====================================================
"""

import binascii
import struct
from dataclasses import dataclass

from crmsensor.errors import ProtocolError

MAGIC = b"CK"
LAYOUT_VERSION = 1
HEADER = struct.Struct("!2sBBIIHI")
HEADER_SIZE = HEADER.size  # 18
MAX_CHUNK_DATA = 8192
FLAG_LAST = 0x01


@dataclass(frozen=True)
class Chunk:
    """A decoded chunk: its place in the recording and its data."""

    index: int
    offset: int
    last: bool
    data: bytes


def encode_chunk(index: int, offset: int, data: bytes, last: bool) -> bytes:
    """Build a chunk message (the firmware's encoder produces the same bytes)."""
    if len(data) > MAX_CHUNK_DATA:
        raise ValueError(f"chunk data is {len(data)} bytes, limit {MAX_CHUNK_DATA}")
    flags = FLAG_LAST if last else 0
    crc = binascii.crc32(data) & 0xFFFFFFFF
    return HEADER.pack(MAGIC, LAYOUT_VERSION, flags, index, offset, len(data), crc) + data


def decode_chunk(payload: bytes) -> Chunk:
    """Parse and check a chunk message, or raise :class:`ProtocolError`."""
    if len(payload) < HEADER_SIZE:
        raise ProtocolError("bad_chunk", f"chunk is {len(payload)} bytes, header is {HEADER_SIZE}")
    if len(payload) > HEADER_SIZE + MAX_CHUNK_DATA:
        raise ProtocolError("oversized", f"chunk is {len(payload)} bytes")
    magic, version, flags, index, offset, length, crc = HEADER.unpack_from(payload)
    if magic != MAGIC or version != LAYOUT_VERSION:
        raise ProtocolError("bad_chunk", f"bad magic/version {magic!r}/{version}")
    data = payload[HEADER_SIZE:]
    if len(data) != length:
        raise ProtocolError("bad_chunk", f"header says {length} data bytes, got {len(data)}")
    if binascii.crc32(data) & 0xFFFFFFFF != crc:
        raise ProtocolError("bad_chunk", f"CRC mismatch in chunk {index}")
    return Chunk(index, offset, bool(flags & FLAG_LAST), bytes(data))
