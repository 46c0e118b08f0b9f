"""Files that survive a power cut: write to a temporary name, fsync, rename, fsync the folder.
Used by the fleet's local object store and the kiosk's event outbox."""

import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (a rename into it) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` whole, or (after a crash) is as it was; ``<path>.tmp`` may be
    left behind by a crash, for the caller to remove at start."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    tmp.rename(path)
    fsync_dir(path.parent)
