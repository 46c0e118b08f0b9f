# Run under MicroPython: check releases made by crmsensor/release_keys.sign_release.
# argv: DIR with trusted.json and releases.json ([{"name", "manifest", "sig", "bundle",
# "kind", "hw", "current"}, ...]). Prints "NAME ok VERSION" or "NAME refused: REASON".
import json
import sys

from crms import signature

d = sys.argv[1]
with open(d + "/trusted.json") as f:
    keys = signature.load_keys(json.load(f))
with open(d + "/releases.json") as f:
    cases = json.load(f)
for c in cases:
    try:
        m = signature.check_release(
            c["manifest"].encode(),
            bytes.fromhex(c["sig"]),
            keys,
            d + "/" + c["bundle"],
            c["kind"],
            c["hw"],
            c["current"],
        )
        print(c["name"], "ok", m["version"])
    except signature.SignatureError as exc:
        print(c["name"], "refused:", exc)
