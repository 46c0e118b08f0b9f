# Run under MicroPython: install a renewed identity, and finish or drop interrupted installs.
import os
import sys

from crms import identity

d = sys.argv[1]
tls = {"cert": d + "/cert.der", "key": d + "/key.der"}


def put(path, data):
    with open(path, "wb") as f:
        f.write(data)


def get(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode()
    except OSError:
        return None


def state():
    return [get(tls["cert"]), get(tls["key"]), get(tls["cert"] + ".new"), get(tls["key"] + ".new")]


put(tls["cert"], b"cert1")
put(tls["key"], b"key1")
identity.install(tls, b"cert2", b"key2")
print("installed", state())

put(tls["key"] + ".new", b"key3")  # cut before the certificate was written: dropped
identity.finish(tls)
print("dropped", state())

put(tls["key"] + ".new", b"key4")  # both written, nothing swapped yet
put(tls["cert"] + ".new", b"cert4")
identity.finish(tls)
print("finished", state())

os.rename(tls["key"], tls["key"] + ".gone")  # key swapped out, cut before the rename
put(tls["key"] + ".new", b"key5")
put(tls["cert"] + ".new", b"cert5")
identity.finish(tls)
print("recovered", state())
