# Run under MicroPython: check what crmsensor/release_keys.py signed. argv: DIR with
# trusted.json and, when present, cases.json (bundle signatures: [{"name", "file", "key",
# "sig"}, ...]) and releases.json (whole releases: [{"name", "manifest", "sig", "bundle",
# "kind", "hw", "current"}, ...]). Prints "NAME ok ..." or "NAME refused: REASON" per case,
# then "keys refused: REASON" for each bad trusted-key list.
import json
import sys

from crms import signature

d = sys.argv[1]


def load(name):
    try:
        with open(d + "/" + name) as f:
            return json.load(f)
    except OSError:
        return []


def check(case, fn):
    try:
        print(case["name"], "ok", fn(case))
    except signature.SignatureError as exc:
        print(case["name"], "refused:", exc)


keys = signature.load_keys(load("trusted.json"))


def bundle(c):
    digest, size = signature.digest_file(d + "/" + c["file"])
    signature.verify_trusted(digest, bytes.fromhex(c["sig"]), c["key"], keys)
    return size


def release(c):
    m = signature.check_release(
        c["manifest"].encode(),
        bytes.fromhex(c["sig"]),
        keys,
        d + "/" + c["bundle"],
        c["kind"],
        c["hw"],
        c["current"],
    )
    return m["version"]


for c in load("cases.json"):
    check(c, bundle)
for c in load("releases.json"):
    check(c, release)
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
