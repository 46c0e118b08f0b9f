# An app bundle is a POSIX tar (ustar, uncompressed) of the slot's files: crms/... and lib/...
# as `crmsensor firmware bundle` packs them with Python's tarfile. Only regular files and
# folders are taken; names are relative, without "..". Read in 512-byte blocks into one buffer.
import os

BLOCK = 512


class BundleError(Exception):
    pass


def _field(hdr, start, size):
    raw = bytes(hdr[start : start + size])
    end = raw.find(b"\0")
    return (raw if end < 0 else raw[:end]).decode()


def _name(hdr):
    name = _field(hdr, 0, 100)
    if bytes(hdr[257:262]) == b"ustar":
        prefix = _field(hdr, 345, 155)
        if prefix:
            name = prefix + "/" + name
    return name


def _checked(name):
    if not name or name[0] == "/" or ".." in name.split("/"):
        raise BundleError("bad name in bundle: %r" % name)
    return name.rstrip("/")


def _makedirs(path):
    here = "/" if path.startswith("/") else ""
    for part in path.split("/"):
        if not part or part == ".":
            continue
        here = (here.rstrip("/") + "/" + part) if here else part
        try:
            os.mkdir(here)
        except OSError:
            pass  # exists


def extract(tar_path, dest, on_file=None):
    """Unpack the bundle at ``tar_path`` into the folder ``dest`` (made if missing); call
    ``on_file(name)`` after each file. Returns how many files were written."""
    _makedirs(dest)
    hdr = bytearray(BLOCK)
    buf = bytearray(4096)
    n_files = 0
    with open(tar_path, "rb") as f:
        while True:
            if f.readinto(hdr) != BLOCK:
                raise BundleError("bundle ends inside a header")
            if hdr == bytearray(BLOCK):
                return n_files  # the end-of-archive block
            try:
                size = int(_field(hdr, 124, 12).strip() or "0", 8)
            except ValueError:
                raise BundleError("bad size field in bundle") from None
            kind = hdr[156]
            name = _checked(_name(hdr))
            padded = (size + BLOCK - 1) // BLOCK * BLOCK
            if kind == 0x35:  # "5": a folder
                _makedirs(dest + "/" + name)
            elif kind in (0x30, 0):  # "0": a regular file
                if "/" in name:
                    _makedirs(dest + "/" + name.rsplit("/", 1)[0])
                left = size
                with open(dest + "/" + name, "wb") as out:
                    while left:
                        n = f.readinto(buf if left >= len(buf) else memoryview(buf)[:left])
                        if not n:
                            raise BundleError("bundle ends inside %s" % name)
                        out.write(memoryview(buf)[:n])
                        left -= n
                f.seek(padded - size, 1)
                n_files += 1
                if on_file is not None:
                    on_file(name)
            else:
                raise BundleError("bundle holds %s, which is not a file or folder" % name)


def remove_tree(path):
    """Delete the folder ``path`` and everything in it; no error when it is missing."""
    try:
        entries = list(os.ilistdir(path))
    except OSError:
        return
    for entry in entries:
        child = path + "/" + entry[0]
        if entry[1] == 0x4000:
            remove_tree(child)
        else:
            os.remove(child)
    os.rmdir(path)
