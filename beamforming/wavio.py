"""WAV files in and out: the toolkit's outputs as 16-bit PCM, and whatever the WAV format
allows as input. Pure (bytes in, samples out) apart from the file reads.

Read: PCM 8-bit (unsigned), 16, 24 and 32-bit; IEEE float 32 and 64-bit; G.711 mu-law and
A-law; WAVE_FORMAT_EXTENSIBLE wrapping any of those. Anything else (ADPCM, GSM, MP3 in
RIFF...) is refused with the file's name and its format, by :func:`probe` before any work.
"""

import struct
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from crmsensor.errors import UserError

PCM, IEEE_FLOAT, ALAW, MULAW, EXTENSIBLE = 0x0001, 0x0003, 0x0006, 0x0007, 0xFFFE
_NAMES = {PCM: "PCM", IEEE_FLOAT: "IEEE float", ALAW: "A-law", MULAW: "mu-law",
          0x0002: "MS ADPCM", 0x0011: "IMA ADPCM", 0x0031: "GSM 6.10",
          0x0055: "MP3"}  # fmt: skip
_WIDTHS = {PCM: (8, 16, 24, 32), IEEE_FLOAT: (32, 64), ALAW: (8,), MULAW: (8,)}


class WavError(UserError, ValueError):
    """A WAV file that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class WavFormat:
    tag: int  # the format (after unwrapping WAVE_FORMAT_EXTENSIBLE)
    channels: int
    rate: int
    bits: int
    data_offset: int
    data_size: int

    @property
    def name(self) -> str:
        return f"{_NAMES.get(self.tag, f'format {self.tag:#06x}')} {self.bits}-bit"


def parse_header(data: bytes, where: str = "WAV") -> WavFormat:
    """The format and data chunk of a RIFF/WAVE file's bytes (the header at least)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavError(f"{where}: not a RIFF/WAVE file")
    pos, fmt = 12, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = pos + 8
        if cid == b"fmt ":
            if size < 16 or body + 16 > len(data):
                raise WavError(f"{where}: fmt chunk too short ({size} bytes)")
            tag, ch, rate, _bps, _align, bits = struct.unpack("<HHIIHH", data[body : body + 16])
            if tag == EXTENSIBLE:
                if size < 40 or body + 40 > len(data):
                    raise WavError(f"{where}: WAVE_FORMAT_EXTENSIBLE without its subformat")
                tag = struct.unpack("<H", data[body + 24 : body + 26])[0]
            fmt = (tag, ch, rate, bits)
        elif cid == b"data":
            if fmt is None:
                raise WavError(f"{where}: data chunk before the fmt chunk")
            tag, ch, rate, bits = fmt
            found = WavFormat(tag, ch, rate, bits, body, min(size, max(0, len(data) - body)))
            if tag not in _WIDTHS or bits not in _WIDTHS[tag]:
                raise WavError(f"{where}: {found.name} audio is not supported (PCM 8/16/24/32, "
                               "float 32/64, mu-law and A-law are)")  # fmt: skip
            if ch < 1 or rate < 1:
                raise WavError(f"{where}: {ch} channels at {rate} Hz")
            return found
        pos = body + size + (size & 1)  # chunks are word-aligned
    raise WavError(f"{where}: no {'data' if fmt else 'fmt'} chunk")


def _g711(codes: np.ndarray, alaw: bool) -> np.ndarray:
    """G.711 codes (uint8) to linear samples in -1..1 (ITU-T G.711's expansion)."""
    c = codes.astype(np.int32)
    if alaw:
        c ^= 0x55
        sign, exp, mant = c & 0x80, (c >> 4) & 7, c & 0x0F
        mag = np.where(exp == 0, (mant << 4) + 8, ((mant << 4) + 0x108) << np.maximum(exp - 1, 0))
        return np.where(sign != 0, mag, -mag) / 32768.0
    c = ~c & 0xFF
    sign, exp, mant = c & 0x80, (c >> 4) & 7, c & 0x0F
    mag = (((mant << 3) + 0x84) << exp) - 0x84
    return np.where(sign != 0, -mag, mag) / 32768.0


def decode(data: bytes, where: str = "WAV") -> tuple[np.ndarray, int]:
    """Samples (channels, N) as float in -1..1, and the rate."""
    f = parse_header(data, where)
    raw = data[f.data_offset : f.data_offset + f.data_size]
    width = f.bits // 8
    raw = raw[: len(raw) - len(raw) % (width * f.channels)]
    if f.tag == PCM and f.bits == 8:
        x = (np.frombuffer(raw, np.uint8).astype(np.float64) - 128) / 128
    elif f.tag == PCM and f.bits == 24:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        x = np.where(v >= 1 << 23, v - (1 << 24), v) / float(1 << 23)
    elif f.tag == PCM:
        x = np.frombuffer(raw, f"<i{width}").astype(np.float64) / float(1 << (f.bits - 1))
    elif f.tag == IEEE_FLOAT:
        x = np.frombuffer(raw, f"<f{width}").astype(np.float64)
    else:
        x = _g711(np.frombuffer(raw, np.uint8), alaw=f.tag == ALAW)
    return np.asarray(x).reshape(-1, f.channels).T, f.rate


def probe(path: Path) -> WavFormat:
    """Check that ``path`` is a WAV this module reads (header only)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError as e:
        raise WavError(f"cannot read {path}: {e.strerror}") from None
    return parse_header(head, str(path))


def read(path: Path) -> tuple[np.ndarray, int]:
    """A WAV file's samples (channels, N) in -1..1, and its rate."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WavError(f"cannot read {path}: {e.strerror}") from None
    return decode(data, str(path))


def write(path: Path, x: np.ndarray, fs: int) -> Path:
    """Write x (channels, N) in -1..1 as 16-bit PCM (clipped)."""
    pcm = np.clip(np.round(np.atleast_2d(x).T * 32768), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(fs)
        w.writeframes(pcm.tobytes())
    return path
