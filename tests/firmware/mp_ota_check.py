# Run under MicroPython: the badge's first step of an update (crms/ota.py Updater.check: the
# manifest, its key, room on the flash) for each ARGS file. argv: ROOT [--image IMG]
# [--slot DIR] ARGS...  --image mounts a LittleFS image at /flash as the root; --slot runs as
# if that update slot's app were running (its trusted_keys.json is the one used).
# Prints "NAME ok VERSION" or "NAME refused: REASON" per ARGS file.
import json
import sys

from crms.ota import UpdateError, Updater

argv = sys.argv[1:]
root = argv.pop(0)
files = []
while argv:
    a = argv.pop(0)
    if a == "--image":
        from crms.boards.sim import mount_image

        mount_image(argv.pop(0))
        root = "/flash"
    elif a == "--slot":
        sys.path.insert(0, argv.pop(0))
    else:
        files.append(a)
up = Updater(None, {"hw": "sim"}, root, "0.2.0", print, print)
for path in files:
    with open(path) as f:
        args = json.load(f)
    name = path.rsplit("/", 1)[-1]
    try:
        print(name, "ok", up.check(args)["version"])
    except UpdateError as e:
        print(name, "refused:", e)
