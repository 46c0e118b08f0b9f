"""LittleFS images of a badge's flash filesystem, as MicroPython's ``vfs.VfsLfs2`` mounts them.

The simulated board mounts such an image at /flash; the flashing bench writes one into the
ESP32-S3's vfs partition. Geometry must match the mount: 4096-byte blocks, and a block count
that is the partition (or file) size / 4096. Read and program sizes follow MicroPython's
VfsLfs2 defaults (32 bytes), so the metadata layout is the one the badge itself would write.
"""

from collections.abc import Mapping
from pathlib import Path

from littlefs import LittleFS

BLOCK_SIZE = 4096
MP_READ_SIZE = 32
MP_PROG_SIZE = 32
MP_LOOKAHEAD = 32


def _fs(block_count: int, mount: bool) -> LittleFS:
    return LittleFS(
        block_size=BLOCK_SIZE,
        block_count=block_count,
        read_size=MP_READ_SIZE,
        prog_size=MP_PROG_SIZE,
        lookahead_size=MP_LOOKAHEAD,
        mount=mount,
    )


def build(files: Mapping[str, bytes], size: int) -> bytes:
    """An image of ``size`` bytes holding ``files`` (path inside the filesystem -> bytes)."""
    if size <= 0 or size % BLOCK_SIZE:
        raise ValueError(
            f"flash image size {size} is not a whole number of {BLOCK_SIZE}-byte blocks"
        )
    fs = _fs(size // BLOCK_SIZE, mount=True)
    for name, data in sorted(files.items()):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts)):
            if parts[i - 1] not in fs.listdir("/" + "/".join(parts[: i - 1])):
                fs.mkdir("/".join(parts[:i]))
        with fs.open("/".join(parts), "wb") as f:
            f.write(data)
    image = bytes(fs.context.buffer)
    if len(image) != size:
        raise RuntimeError(f"littlefs made {len(image)} bytes, expected {size}")
    return image


def write(files: Mapping[str, bytes], path: Path, size: int = 512 * 1024) -> Path:
    """Build an image (see :func:`build`) into ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build(files, size))
    return path


def read(path: Path) -> dict[str, bytes]:
    """Every file in an image, by path: what the badge wrote there."""
    image = path.read_bytes()
    if len(image) % BLOCK_SIZE:
        raise ValueError(f"{path}: {len(image)} bytes is not a whole number of blocks")
    fs = _fs(len(image) // BLOCK_SIZE, mount=False)
    fs.context.buffer[:] = image
    fs.mount()
    out: dict[str, bytes] = {}
    for root, _dirs, names in fs.walk("/"):
        for name in names:
            full = f"{root.rstrip('/')}/{name}"
            with fs.open(full, "rb") as f:
                out[full.lstrip("/")] = f.read()
    return out


def bundle_files(folder: Path) -> dict[str, bytes]:
    """A provisioning bundle (config.json and the DER files beside it) as image files."""
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder} holds no config.json (run crmsensor badge provision)")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
