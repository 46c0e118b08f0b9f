# Run under MicroPython (by badge_dsp_cost.py, inside valgrind): push SECONDS of two-channel
# audio through the badge's audio path, as the recorder does it, into a null sink.
# argv: STAGES SECONDS WAV START_S. STAGES: beam | beam+vad | beam+vad+adpcm | beam+vad+pcm
# (beam includes the microphone calibration, as in the recorder).
# Three seconds of the WAV (2-channel 16-bit, 16 kHz) from START_S are read into RAM first and
# looped, so file reading is not counted.
import array
import sys

from crms.dsp.adpcm import ImaEncoder
from crms.dsp.beam import Beamformer, design_from_config
from crms.dsp.calib import Calibrator
from crms.dsp.vad import Trimmer

BLOCK = 256
RATE = 16000

stages = sys.argv[1]
seconds = int(sys.argv[2])
with open(sys.argv[3], "rb") as f:
    f.seek(44 + 4 * int(float(sys.argv[4]) * RATE))
    audio = f.read(3 * 4 * RATE)
blocks = len(audio) // (4 * BLOCK)
raw = bytearray(4 * BLOCK)
mono = array.array("h", bytes(2 * BLOCK))
front, back, eq_b, eq_g = design_from_config({}, RATE)  # the badge's shipped design
bf = Beamformer(front, back, BLOCK, eq_b, eq_g)
written = [0]


def sink(buf):
    written[0] += len(buf)


enc = ImaEncoder(sink)


def emit(x, n):
    if stages.endswith("adpcm"):
        enc.write(x, n)
    else:
        written[0] += 2 * n


trim = Trimmer(emit, BLOCK, hang_blocks=18, max_gap_blocks=43, preroll_blocks=4)
cal = Calibrator()
use_vad = "vad" in stages
mv = memoryview(audio)
for _ in range(seconds // 3):
    for b in range(blocks):
        raw[:] = mv[b * 4 * BLOCK : (b + 1) * 4 * BLOCK]
        bf.back_gain = cal.update(raw, BLOCK, trim.since_speech > trim.hang)
        bf.process(raw, mono, BLOCK)
        if use_vad:
            trim.feed(mono, BLOCK)
        else:
            emit(mono, BLOCK)
print("done", stages, seconds, written[0])
