# Run under MicroPython (by ota_verify_cost.py, inside valgrind): check a release bundle's
# signature as the badge does. argv: MODE DIR. MODE: none (load the keys and signature only)
# | hash (also SHA-256 of the bundle) | verify (also the RSA check). DIR holds bundle.bin,
# trusted.json and signed.json (crmsensor/release_keys.py). Prints mem_info (its peak).
import json
import sys

import micropython
from crms import signature

mode, d = sys.argv[1], sys.argv[2]
with open(d + "/trusted.json") as f:
    keys = signature.load_keys(json.load(f))
with open(d + "/signed.json") as f:
    signed = json.load(f)
sig = bytes.fromhex(signed["sig"])
if mode in ("hash", "verify"):
    digest, size = signature.digest_file(d + "/bundle.bin")
    if mode == "verify":
        signature.verify_trusted(digest, sig, signed["key"], keys)
print("done", mode)
micropython.mem_info()
