# Small filesystem helpers (MicroPython has no os.path).
import os


def exists(path):
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def size(path):
    return os.stat(path)[6]


def beside(path, name):
    # `name` relative to the folder holding `path`; absolute names stay as they are.
    if name.startswith("/") or "/" not in path:
        return name
    return path.rsplit("/", 1)[0] + "/" + name
