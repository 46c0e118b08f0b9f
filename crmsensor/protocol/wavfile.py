"""Recording files as the badge writes them (docs/protocol.md, "Recording files"): mono RIFF/WAVE
in 16-bit PCM (format 1) or IMA ADPCM (format 0x11, 256-byte blocks of 505 samples), possibly
followed by extra chunks (the badge's ``crms`` chunk).

Pure functions over bytes: :func:`read` decodes either codec to 16-bit samples, naming what is
wrong with a bad file; :func:`pcm16_wav` writes 16-bit PCM; :func:`ima_adpcm_wav` encodes IMA
ADPCM exactly as the badge does (the firmware's encoder matches CPython's ``audioop``
quantiser bit for bit, tests/firmware/test_firmware_dsp.py), for host-side round trips.
"""

import json
import struct
import warnings
from dataclasses import dataclass

from crmsensor.errors import UserError

with warnings.catch_warnings():
    # Deprecated since 3.11 and gone in 3.13, where the `audioop-lts` wheel provides it.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

PCM = 1
IMA_ADPCM = 0x11
IMA_BLOCK_ALIGN = 256
IMA_SAMPLES_PER_BLOCK = (IMA_BLOCK_ALIGN - 4) * 2 + 1  # 505

# WAV packs the first sample of a pair in the low nibble, audioop in the high one.
_SWAP_NIBBLES = bytes(((b & 0x0F) << 4) | (b >> 4) for b in range(256))


class WavError(UserError, ValueError):
    """A recording file that cannot be decoded; the message names the problem."""


@dataclass(frozen=True)
class Pcm:
    """Decoded audio: ``samples`` is little-endian signed 16-bit mono at ``rate`` Hz."""

    rate: int
    samples: bytes

    @property
    def frames(self) -> int:
        return len(self.samples) // 2


def _chunks(data: bytes) -> dict[bytes, bytes]:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavError("not a RIFF/WAVE file (no RIFF....WAVE header)")
    found: dict[bytes, bytes] = {}
    off = 12
    while off + 8 <= len(data):
        cid = data[off : off + 4]
        (size,) = struct.unpack_from("<I", data, off + 4)
        body = data[off + 8 : off + 8 + size]
        if len(body) < size:
            raise WavError(
                f"chunk {cid!r} at byte {off} says {size} bytes but only {len(body)} follow"
            )
        found.setdefault(cid, body)
        off += 8 + size + (size & 1)
    return found


def read(data: bytes) -> Pcm:
    """Decode a badge recording to 16-bit PCM, or raise :class:`WavError` naming the problem."""
    chunks = _chunks(data)
    fmt = chunks.get(b"fmt ")
    if fmt is None or len(fmt) < 16:
        raise WavError("no 'fmt ' chunk of at least 16 bytes")
    if b"data" not in chunks:
        raise WavError("no 'data' chunk")
    body = chunks[b"data"]
    tag, channels, rate, _byte_rate, align, bits = struct.unpack_from("<HHIIHH", fmt)
    if channels != 1:
        raise WavError(f"{channels} channels: badge recordings are mono")
    if not 1000 <= rate <= 192_000:
        raise WavError(f"sample rate {rate} Hz is out of range")
    if tag == PCM:
        if bits != 16 or align != 2:
            raise WavError(f"PCM with {bits} bits and block align {align}: only 16-bit is read")
        return Pcm(rate, body[: len(body) // 2 * 2])
    if tag == IMA_ADPCM:
        return Pcm(rate, _decode_ima(fmt, align, bits, body, chunks.get(b"fact")))
    raise WavError(f"WAV format tag {tag:#x} is not PCM (0x1) or IMA ADPCM (0x11)")


def cuts(data: bytes) -> list[tuple[int, int]]:
    """The silence trimmer's cuts from the badge's ``crms`` chunk, ``(output sample, dropped
    samples)`` in order; none when the file has no such chunk. :class:`WavError` names a
    chunk that is not what the badge writes."""
    body = _chunks(data).get(b"crms")
    if body is None:
        return []
    try:
        doc = json.loads(body)
    except ValueError:
        raise WavError("the crms chunk is not JSON") from None
    raw = doc.get("cuts", []) if isinstance(doc, dict) else None
    out: list[tuple[int, int]] = []
    for c in raw if isinstance(raw, list) else [None]:
        ok = isinstance(c, list) and len(c) == 2 and all(type(v) is int and v >= 0 for v in c)
        if not ok or (out and c[0] < out[-1][0]):  # type: ignore[index]
            raise WavError(f"crms cut {c!r} is not [output sample, dropped samples] in order")
        out.append((c[0], c[1]))  # type: ignore[index]
    return out


def untrim(pcm: Pcm, trimmed: list[tuple[int, int]]) -> Pcm:
    """The recording as long as it was recorded: silence put back where the badge cut it, so
    that sample n is n / rate seconds after the recording began."""
    if not trimmed:
        return pcm
    parts, at = [], 0
    for out_sample, dropped in trimmed:
        parts += [pcm.samples[2 * at : 2 * out_sample], bytes(2 * dropped)]
        at = out_sample
    parts.append(pcm.samples[2 * at :])
    return Pcm(pcm.rate, b"".join(parts))


def _decode_ima(fmt: bytes, align: int, bits: int, body: bytes, fact: bytes | None) -> bytes:
    if bits != 4 or align < 8:
        raise WavError(f"IMA ADPCM with {bits} bits and block align {align} is not 4-bit IMA")
    per_block = (align - 4) * 2 + 1
    if len(fmt) >= 20:
        (declared,) = struct.unpack_from("<H", fmt, 18)
        if declared != per_block:
            raise WavError(
                f"IMA ADPCM says {declared} samples per block; block align {align} holds "
                f"{per_block}"
            )
    out = bytearray()
    for off in range(0, len(body), align):
        block = body[off : off + align]
        if len(block) < 4:
            break  # a torn last header: nothing in it to decode
        first, index = struct.unpack_from("<hB", block)
        if index > 88:
            raise WavError(f"IMA ADPCM block at data byte {off}: step index {index} > 88")
        pcm, _state = audioop.adpcm2lin(block[4:].translate(_SWAP_NIBBLES), 2, (first, index))
        out += struct.pack("<h", first) + pcm
    if fact is not None and len(fact) >= 4:
        (frames,) = struct.unpack_from("<I", fact)
        del out[frames * 2 :]  # the last block is padded
    return bytes(out)


def pcm16_wav(rate: int, samples: bytes) -> bytes:
    """A mono 16-bit PCM WAV file of ``samples`` (little-endian int16)."""
    n = len(samples) // 2 * 2
    return (
        b"RIFF"
        + struct.pack("<I", 36 + n)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, PCM, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", n)
        + samples[:n]
    )


def ima_adpcm_wav(rate: int, samples: bytes) -> bytes:
    """A mono IMA ADPCM WAV file of ``samples``, blocked and quantised as the badge writes it."""
    frames = len(samples) // 2
    blocks = bytearray()
    state: tuple[int, int] | None = None
    for start in range(0, frames, IMA_SAMPLES_PER_BLOCK):
        chunk = samples[start * 2 : (start + IMA_SAMPLES_PER_BLOCK) * 2]
        chunk += bytes(IMA_SAMPLES_PER_BLOCK * 2 - len(chunk))  # pad the last block
        (first,) = struct.unpack_from("<h", chunk)
        index = 0 if state is None else state[1]
        code, state = audioop.lin2adpcm(chunk[2:], 2, (first, index))
        blocks += struct.pack("<hBB", first, index, 0) + code.translate(_SWAP_NIBBLES)
    byte_rate = rate * IMA_BLOCK_ALIGN // IMA_SAMPLES_PER_BLOCK
    fmt = struct.pack(
        "<HHIIHHHH", IMA_ADPCM, 1, rate, byte_rate, IMA_BLOCK_ALIGN, 4, 2, IMA_SAMPLES_PER_BLOCK
    )
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(fmt) + 12 + 8 + len(blocks))
        + b"WAVEfmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"fact"
        + struct.pack("<II", 4, frames)
        + b"data"
        + struct.pack("<I", len(blocks))
        + bytes(blocks)
    )
