# Run under MicroPython: the recording store. argv[1]: an empty folder (the "SD card").
# Prints JSON lines for the CPython side to check files against; raises on failure.
import json
import os
import sys

from crms.dsp import wav
from crms.store import Store

folder = sys.argv[1] + "/sd"
free = [10_000]  # KiB free, as the board would report it


def make(store, n_bytes, finish=True, codec="pcm16"):
    rec_id = store.new_id()
    body = bytes(range(256)) * (n_bytes // 256)
    with open(store.path(rec_id, "part"), "wb") as f:
        # A recording cut by a power loss has its sizes not filled in yet.
        f.write(
            wav.header(codec, 16000, len(body), len(body) // 2)
            if finish
            else wav.header(codec, 16000, 0, 0)
        )
        f.write(body)
    if not finish:
        return rec_id
    meta = {
        "codec": codec,
        "rate": 16000,
        "duration_ms": n_bytes // 32,
        "start_ts": None,
        "worn_session": "w-1",
        "cuts": 0,
    }
    return store.finish(rec_id, meta)["id"]


store = Store(folder, 0xABCDEF01, lambda: free[0])
ids = [make(store, 4096 * (i + 1)) for i in range(4)]
assert ids == sorted(ids) and ids[0] == "r-000000-abcdef01", ids
assert store.pending() == ids and store.acked() == []

# Acknowledged recordings are evicted oldest first, and only as many as needed.
store.mark_acked(ids[0])
store.mark_acked(ids[2])
store.mark_acked(ids[2])  # twice is harmless
assert store.pending() == [ids[1], ids[3]] and store.acked() == [ids[0], ids[2]]


def evicting_free():
    return 10_000 + 100 * (2 - len(store.acked()))


store._free_kb = evicting_free
assert store.ensure_space(10_100)  # one eviction is enough
assert store.acked() == [ids[2]], store.acked()
# Never an unacknowledged one: with only pending recordings left, there is no room.
assert store.ensure_space(10_200)
assert not store.ensure_space(10_300)
assert store.pending() == [ids[1], ids[3]] and store.acked() == []
for rec_id in (ids[1], ids[3]):
    os.stat(store.path(rec_id, "wav"))  # still there
print("ok eviction")

# A power cut mid-recording leaves a .part with unfilled sizes; a new boot repairs it and
# continues the sequence after it.
cut = make(store, 5000, finish=False)
ima_cut = make(store, 256 * 3 + 100, finish=False, codec="ima_adpcm")
store2 = Store(folder, 0x12345678, lambda: free[0])
got = store2.recover()
assert got == [cut, ima_cut], (got, cut, ima_cut)
assert store2.new_id() == "r-000006-12345678"
assert store2.pending() == [ids[1], ids[3], cut, ima_cut]
e = store2.entry(ima_cut)
assert e["codec"] == "ima_adpcm" and e["duration_ms"] == 3 * 505 * 1000 // 16000
assert e["recovered"] and store2.entry(cut)["duration_ms"] == 5000 // 256 * 128 * 1000 // 16000

# A rejected id is kept and no longer offered.
store2.mark_rejected(ids[1])
assert store2.pending() == [ids[3], cut, ima_cut]
os.stat(store2.path(ids[1], "wav"))

for rec_id in store2.pending():
    print(json.dumps(store2.entry(rec_id)))
print(json.dumps(store2.summary()))
print("ok store")
