# RIFF/WAVE headers for the two codecs the badge writes, and its trailing `crms` chunk.
# Pure functions over bytes: the recorder writes a header with zero sizes, then rewrites
# it with the final sizes when the recording is closed.
import struct

from micropython import const

from crms.dsp.adpcm import BLOCK_ALIGN, SAMPLES_PER_BLOCK

PCM_HEADER = const(44)
IMA_HEADER = const(60)


def header_size(codec):
    return PCM_HEADER if codec == "pcm16" else IMA_HEADER


def header(codec, rate, data_bytes, samples, riff_extra=0):
    # riff_extra: bytes of chunks after `data` (the crms chunk), counted in the RIFF size.
    pad = data_bytes & 1
    if codec == "pcm16":
        riff = 36 + data_bytes + pad + riff_extra
        return (
            b"RIFF"
            + struct.pack("<I", riff)
            + b"WAVE"
            + b"fmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
            + b"data"
            + struct.pack("<I", data_bytes)
        )
    if codec == "ima_adpcm":
        riff = 52 + data_bytes + pad + riff_extra
        byte_rate = rate * BLOCK_ALIGN // SAMPLES_PER_BLOCK
        return (
            b"RIFF"
            + struct.pack("<I", riff)
            + b"WAVE"
            + b"fmt "
            + struct.pack(
                "<IHHIIHHHH", 20, 0x11, 1, rate, byte_rate, BLOCK_ALIGN, 4, 2, SAMPLES_PER_BLOCK
            )
            + b"fact"
            + struct.pack("<II", 4, samples)
            + b"data"
            + struct.pack("<I", data_bytes)
        )
    raise ValueError("codec must be pcm16 or ima_adpcm, got " + repr(codec))


def extra_chunk(cid, body):
    # A RIFF chunk (id, size, body, pad byte when odd) placed after `data`.
    out = cid + struct.pack("<I", len(body)) + body
    if len(body) & 1:
        out += b"\x00"
    return out


def codec_of(head):
    # The codec a header was written for (used to repair a recording cut by a power loss).
    if len(head) < 22 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise ValueError("not a WAV header")
    tag = struct.unpack("<H", head[20:22])[0]
    if tag == 1:
        return "pcm16"
    if tag == 0x11:
        return "ima_adpcm"
    raise ValueError("unknown WAV format tag " + str(tag))
