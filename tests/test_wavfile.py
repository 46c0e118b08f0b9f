"""Recording files (crmsensor.protocol.wavfile): both codecs the badge writes, read back; bad
files named. The firmware's own files are read in tests/firmware/test_firmware_dsp.py."""

import struct

import numpy as np
import pytest

from crmsensor.protocol import wavfile


def _chirp(n: int, fs: int = 16000) -> np.ndarray:
    t = np.arange(n) / fs
    return np.round(12000 * np.sin(2 * np.pi * (200 + 1400 * t) * t)).astype("<i2")


def test_pcm16_round_trip_is_exact() -> None:
    x = _chirp(1001)
    pcm = wavfile.read(wavfile.pcm16_wav(8000, x.tobytes()))
    assert pcm.rate == 8000 and pcm.frames == 1001
    assert np.array_equal(np.frombuffer(pcm.samples, "<i2"), x)


@pytest.mark.parametrize("n", [1, 504, 505, 506, 4000])
def test_ima_adpcm_round_trip_keeps_length_and_shape(n: int) -> None:
    x = _chirp(n)
    data = wavfile.ima_adpcm_wav(16000, x.tobytes())
    blocks = -(-n // wavfile.IMA_SAMPLES_PER_BLOCK)
    assert len(data) == 60 + blocks * wavfile.IMA_BLOCK_ALIGN  # the badge's header, 256-byte blocks
    y = np.frombuffer(wavfile.read(data).samples, "<i2").astype(float)
    assert len(y) == n and y[0] == x[0]  # the block header carries the first sample exactly
    if n > 500:
        snr = 10 * np.log10(np.sum(x.astype(float) ** 2) / np.sum((x - y) ** 2))
        assert snr > 15, snr


def test_extra_chunks_after_data_are_skipped() -> None:
    x = _chirp(300)
    data = bytearray(wavfile.pcm16_wav(16000, x.tobytes()))
    data += b"crms" + struct.pack("<I", 3) + b"abc\x00"  # an odd chunk with its pad byte
    struct.pack_into("<I", data, 4, len(data) - 8)
    assert wavfile.read(bytes(data)).frames == 300


def _fmt(tag: int, channels: int = 1, rate: int = 16000, align: int = 2, bits: int = 16) -> bytes:
    body = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    return b"RIFF\x00\x00\x00\x00WAVEfmt " + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a RIFF/WAVE file"),
        (b"RIFF\x00\x00\x00\x00WAVX", "not a RIFF/WAVE file"),
        (b"RIFF\x00\x00\x00\x00WAVEdata\x10\x00\x00\x00ab", "says 16 bytes but only 2 follow"),
        (b"RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00", "no 'fmt ' chunk"),
        (_fmt(1), "no 'data' chunk"),
        (_fmt(1, channels=2) + b"data\x00\x00\x00\x00", "2 channels"),
        (_fmt(1, rate=10) + b"data\x00\x00\x00\x00", "sample rate 10 Hz"),
        (_fmt(1, align=1, bits=8) + b"data\x00\x00\x00\x00", "only 16-bit"),
        (_fmt(3, align=4, bits=32) + b"data\x00\x00\x00\x00", "format tag 0x3"),
        (_fmt(0x11, align=256, bits=8) + b"data\x00\x00\x00\x00", "is not 4-bit IMA"),
        (
            _fmt(0x11, align=256, bits=4) + b"data\x08\x00\x00\x00" + b"\x00\x00\x59\x00" * 2,
            "step index 89 > 88",
        ),
    ],
)
def test_bad_files_are_named(data: bytes, message: str) -> None:
    with pytest.raises(wavfile.WavError, match=message):
        wavfile.read(data)


def test_ima_samples_per_block_must_match_the_block_align() -> None:
    data = bytearray(wavfile.ima_adpcm_wav(16000, _chirp(600).tobytes()))
    struct.pack_into("<H", data, 38, 500)  # samplesPerBlock in the fmt extension
    with pytest.raises(wavfile.WavError, match="says 500 samples per block"):
        wavfile.read(bytes(data))
