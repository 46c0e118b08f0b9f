# Run under MicroPython: check release signatures made by crmsensor/release_keys.py.
# argv: DIR with trusted.json and cases.json ([{"name", "file", "key", "sig"}, ...]).
# Prints "NAME ok" or "NAME refused: REASON" per case.
import json
import sys

from crms import signature

d = sys.argv[1]
with open(d + "/trusted.json") as f:
    keys = signature.load_keys(json.load(f))
with open(d + "/cases.json") as f:
    cases = json.load(f)
for case in cases:
    try:
        digest, size = signature.digest_file(d + "/" + case["file"])
        signature.verify_trusted(digest, bytes.fromhex(case["sig"]), case["key"], keys)
        print(case["name"], "ok", size)
    except signature.SignatureError as exc:
        print(case["name"], "refused:", exc)
for bad in (
    [],
    [{"id": "k", "n": "zz", "e": 65537}],
    [{"id": "k", "n": "ff", "e": 65537}],
    [{"id": "k", "n": "ff", "e": 3}],
):
    try:
        signature.load_keys(bad)
        print("keys accepted")
    except signature.SignatureError as exc:
        print("keys refused:", exc)
