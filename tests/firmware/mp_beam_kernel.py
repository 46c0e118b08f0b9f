# Run under MicroPython: the firmware's beamformer kernel on shared vectors.
# argv[1]: a JSON file {"design": beam section, "input": [front, back, ...] interleaved int16,
# "blocks": [128, 256]}; argv[2]: where to write {"outputs": {block: [...]}}.
import array
import json
import sys

from crms.dsp.beam import Beamformer, design_from_config

with open(sys.argv[1]) as f:
    vec = json.load(f)
front, back, eq_b, eq_g = design_from_config(vec["design"], vec["design"]["rate"])
x = array.array("h", vec["input"])
frames = len(x) // 2
outputs = {}
for block in vec["blocks"]:
    bf = Beamformer(front, back, block, eq_b, eq_g)
    bf.back_gain = vec.get("back_gain", 16384)
    stereo = array.array("h", bytes(4 * block))
    out = array.array("h", bytes(2 * block))
    got = []
    for start in range(0, frames - frames % block, block):
        for i in range(2 * block):
            stereo[i] = x[2 * start + i]
        bf.process(stereo, out, block)
        got.extend(out)
    outputs[str(block)] = got
with open(sys.argv[2], "w") as f:
    json.dump({"outputs": outputs}, f)
print("ok kernel", len(vec["blocks"]), "block sizes")
