# Run under MicroPython: the firmware's worn gate over accelerometer CSV traces.
# argv: RATE CSV...; prints one JSON line per trace: {"file", "changes": [[t_s, worn], ...],
# "max_motion_unworn": ...} for the CPython test to compare with the traces' truth.
import json
import sys

from crms.worn import WornGate


def run(path, rate):
    gate = WornGate(rate)
    changes = []
    with open(path) as f:
        f.readline()
        for line in f:
            parts = line.split(",")
            if gate.update(int(parts[1]), int(parts[2]), int(parts[3])):
                changes.append([gate.samples / rate, gate.worn])
    return changes


rate = int(sys.argv[1])
for p in sys.argv[2:]:
    print(json.dumps({"file": p, "changes": run(p, rate)}))
