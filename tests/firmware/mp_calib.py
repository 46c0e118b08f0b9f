# Run under MicroPython: the recorder's calibration loop (calibrator -> beamformer -> trimmer)
# over a raw interleaved int16 stereo file. Prints "gain <q14> <blocks used>", then
# "gains <q14 of every block, comma-separated>".
import array
import sys

from crms.dsp.beam import Beamformer, design_from_config
from crms.dsp.calib import Calibrator
from crms.dsp.vad import Trimmer

BLOCK = 256
front, back, eq_b, eq_g = design_from_config({}, 16000)
bf = Beamformer(front, back, BLOCK, eq_b, eq_g)
cal = Calibrator()
trim = Trimmer(lambda x, n: None, BLOCK, hang_blocks=18, max_gap_blocks=43)
raw = array.array("h", bytes(4 * BLOCK))
mono = array.array("h", bytes(2 * BLOCK))
gains = []
with open(sys.argv[1], "rb") as f:
    while f.readinto(raw) == 4 * BLOCK:
        quiet = trim.since_speech > trim.hang
        bf.back_gain = cal.update(raw, BLOCK, quiet)
        gains.append(bf.back_gain)
        bf.process(raw, mono, BLOCK)
        trim.feed(mono, BLOCK)
print("gain", cal.gain_q14, cal.blocks)
print("gains", ",".join(str(g) for g in gains))
