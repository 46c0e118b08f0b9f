# Run under MicroPython: the IMA ADPCM encoder and the WAV headers. argv[1]: a folder.
# Writes chirp.raw (int16 LE input), chirp.ima (the encoder's blocks) and chirp.wav (a whole
# IMA ADPCM WAV as the recorder writes it) for the CPython side to decode independently.
import array
import math
import struct
import sys

from crms.dsp import adpcm, wav

out_dir = sys.argv[1]
RATE = 16000
N = 3 * adpcm.SAMPLES_PER_BLOCK + 77  # a partial last block

x = array.array("h", bytes(2 * N))
for i in range(N):
    f = 100 + 3000 * i / N
    x[i] = int(12000 * math.sin(2 * math.pi * f * i / RATE))

blocks = []
enc = adpcm.ImaEncoder(lambda b: blocks.append(bytes(b)))
# Fed in uneven pieces, as the trimmer delivers them.
pos = 0
for size in (256, 100, 700, N):
    take = min(size, N - pos)
    enc.write(memoryview(x)[pos : pos + take], take)
    pos += take
enc.flush()
assert enc.samples == N and len(blocks) == 4 and enc.data_bytes == 4 * adpcm.BLOCK_ALIGN
assert all(len(b) == adpcm.BLOCK_ALIGN for b in blocks)
# Each block starts with its first input sample verbatim and a valid step index.
for k, b in enumerate(blocks[:3]):
    first, index, zero = struct.unpack("<hBB", b[:4])
    assert first == x[k * adpcm.SAMPLES_PER_BLOCK] and 0 <= index <= 88 and zero == 0

head = wav.header("ima_adpcm", RATE, len(blocks) * 256, N)
assert len(head) == wav.IMA_HEADER and wav.codec_of(head) == "ima_adpcm"
pcm_head = wav.header("pcm16", RATE, 2 * N, N)
assert len(pcm_head) == wav.PCM_HEADER and wav.codec_of(pcm_head) == "pcm16"
try:
    wav.header("mp3", RATE, 0, 0)
    raise AssertionError("accepted mp3")
except ValueError as e:
    assert "codec" in str(e)

with open(out_dir + "/chirp.raw", "wb") as f:
    f.write(x)
with open(out_dir + "/chirp.ima", "wb") as f:
    for b in blocks:
        f.write(b)
with open(out_dir + "/chirp.wav", "wb") as f:
    f.write(head)
    for b in blocks:
        f.write(b)
print("ok codec", N, "samples", len(blocks), "blocks")
