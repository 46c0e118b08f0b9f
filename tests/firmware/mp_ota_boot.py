# Run under MicroPython: boot as main.py does (loader.py picks the app, its modules are
# imported from its slot) without running the app. argv: ROOT [confirm]
# Prints "BOOT slot version trial" and, for a slot, checks its modules import.
import sys

import loader

root = sys.argv[1]
boot = loader.select(root)
if boot["slot"] is not None:
    where = loader.slot_dir(root, boot["slot"])
    sys.path.insert(0, where + "/lib")
    sys.path.insert(0, where)
import crms  # noqa: E402
from crms import app, ota, start  # noqa: E402, F401  (the app imports whole)

if len(sys.argv) > 2 and sys.argv[2] == "confirm":
    loader.confirm(root)
print("BOOT", boot["slot"], crms.VERSION, boot["trial"], boot["last"] and boot["last"]["state"])
