# Run under MicroPython: one update applied by the badge's own code (crms/ota.py, loader.py),
# step by step, as a power-loss test drives it. argv: ROOT ARGS_JSON BUNDLE STOP
#   ROOT: the flash's root (slots, boot.json, trusted_keys.json); ARGS_JSON: the `ota`
#   command's args; BUNDLE: the bundle as the fleet serves it (the download is a copy, in two
#   halves); STOP: the step at which the badge "loses power" (it prints "STEP n name" and
#   waits to be killed), or -1 to run every step, then boot into the trial and confirm it.
import json
import os
import sys
import time

import loader
from crms import signature
from crms.ota import Updater

root, args_path, bundle_path, stop = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
n = [0]


def step(name):
    print("STEP", n[0], name)
    if n[0] == stop:
        while True:
            time.sleep(1)  # the power goes here: the test kills this process
    n[0] += 1


with open(args_path) as f:
    args = json.load(f)
cfg = {"hw": "sim"}
up = Updater(None, cfg, root, sys.argv[5] if len(sys.argv) > 5 else "0.1.0", print, print)
up.release = args["release"]
m = up.check(args)
step("checked")
part = up._part(m)
with open(bundle_path, "rb") as src:
    data = src.read()
half = len(data) // 2
try:
    have = os.stat(part)[6]
except OSError:
    have = 0
for end in (half, len(data)):
    if have < end:
        with open(part, "ab") as f:
            f.write(data[have:end])
        have = end
    step("downloaded " + str(end))
signature.check_bundle(m, part)
step("verified")
slot = up.apply(part, m, step)
loader.set_trial(root, slot, args["release"])
step("trial set")
boot = loader.select(root)
step("trial booted")
loader.confirm(root)
step("confirmed")
print("DONE", boot["slot"], boot["version"])
