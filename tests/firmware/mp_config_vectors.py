# Run under MicroPython: the firmware's config check (crms/config.py) against the shared
# device-config vectors (crmsensor/device_config.py). argv[1]: the vectors file; argv[2:]:
# config.json files to check too (bundles written by provisioning). Prints "ok N" at the end.
import json
import sys

from crms import config

with open(sys.argv[1]) as f:
    vectors = json.load(f)
n = 0
for name in vectors["valid"]:
    config.check(vectors["valid"][name])  # raises: the test sees the traceback
    n += 1
for v in vectors["invalid"]:
    try:
        config.check(v["config"])
    except config.ConfigError as e:
        if ("`" + v["key"] + "`") not in str(e):
            raise AssertionError(v["name"] + ": error names another key: " + str(e)) from None
    else:
        raise AssertionError(v["name"] + ": accepted")
    n += 1
for path in sys.argv[2:]:
    with open(path) as f:
        config.check(json.load(f))
    n += 1
print("ok", n)
