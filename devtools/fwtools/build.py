"""``crmsensor firmware build``: the badge's filesystem image for the ESP32-S3's vfs partition.

Every firmware module is compiled with mpy-cross for the target (``xtensawin``, the ESP32-S3;
``x64`` for the emulated rig, whose CPU is this machine's), except ``main.py``, which
MicroPython runs from source at boot. The pinned MicroPython libraries (``firmware deps``)
go to ``lib/``, compiled the same way. The files are packed into a LittleFS image of exactly
the vfs partition's size, read from the MicroPython firmware binary's partition table
(devtools.fwtools.partitions): 4096-byte blocks, block count = partition size / 4096, as
MicroPython's VfsLfs2 mounts it. The same inputs give the same bytes.

A device's provisioning bundle (config.json and its certificates) is added at flashing time
(:func:`device_image`), so one build serves every badge.
"""

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from littlefs import LittleFSError

from crmsensor.errors import CrmsError
from devtools.fwtools import check, flashimage, partitions
from devtools.fwtools.partitions import Partition
from devtools.paths import FIRMWARE_DIR, FIRMWARE_LIB_DIR

ARCHES = ("xtensawin", "x64")
SOURCE_ONLY = ("main.py",)  # run from source by MicroPython at boot


class BuildError(CrmsError):
    """The firmware cannot be built; the message names the file or limit at fault."""


@dataclass(frozen=True)
class Build:
    """A built filesystem: its files, the vfs partition it is for, and the image."""

    files: dict[str, bytes]
    vfs: Partition
    app: Partition
    arch: str
    firmware: bytes  # the MicroPython release binary it was built for (written at 0x0)
    sources_sha256: str  # of the firmware and library sources compiled into ``files``

    @property
    def firmware_sha256(self) -> str:
        return hashlib.sha256(self.firmware).hexdigest()

    def image(self, extra: Mapping[str, bytes] | None = None) -> bytes:
        """The LittleFS image (with ``extra`` files, e.g. a provisioning bundle)."""
        files = dict(self.files)
        for name, data in (extra or {}).items():
            if name in files:
                raise BuildError(f"{name} is part of the firmware; a bundle cannot replace it")
            files[name] = data
        try:
            return flashimage.build(files, self.vfs.size)
        except LittleFSError as exc:
            total = sum(len(d) for d in files.values())
            raise BuildError(
                f"the files ({total:,} bytes) do not fit the {self.vfs.size:,}-byte vfs "
                f"partition: {exc}"
            ) from None

    def manifest(self, image: bytes) -> dict[str, object]:
        """What went into ``image``: for the build record and the bench's logs."""
        return {
            "arch": self.arch,
            "firmware_sha256": self.firmware_sha256,
            "vfs": {"offset": self.vfs.offset, "size": self.vfs.size},
            "app": {"offset": self.app.offset, "size": self.app.size},
            "sources_sha256": self.sources_sha256,
            "files": {n: hashlib.sha256(d).hexdigest() for n, d in sorted(self.files.items())},
            "image_sha256": hashlib.sha256(image).hexdigest(),
        }


def _compile(src: Path, name: str, arch: str, mpy_cross: str, tmp: Path) -> bytes:
    out = tmp / "out.mpy"
    proc = subprocess.run(
        # -s: the name recorded in the .mpy for tracebacks, so the bytes do not depend on
        # where the checkout is
        [mpy_cross, f"-march={arch}", "-s", name, "-o", str(out), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BuildError(f"mpy-cross: {src}: {(proc.stderr or proc.stdout).strip()}")
    return out.read_bytes()


def collect(
    arch: str = "xtensawin",
    firmware_dir: Path = FIRMWARE_DIR,
    lib_dir: Path = FIRMWARE_LIB_DIR,
) -> dict[str, bytes]:
    """The filesystem's files: compiled firmware modules, ``main.py``, compiled libraries."""
    if arch not in ARCHES:
        raise BuildError(f"arch must be one of {', '.join(ARCHES)}, got {arch!r}")
    libs = sorted(lib_dir.rglob("*.py")) if lib_dir.is_dir() else []
    if not libs:
        raise BuildError(f"no MicroPython libraries in {lib_dir}: run crmsensor firmware deps")
    mpy_cross = check.mpy_cross_binary()
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for root, prefix in ((firmware_dir, ""), (lib_dir, "lib/")):
            for src in sorted(root.rglob("*.py")):
                rel = src.relative_to(root).as_posix()
                if prefix == "" and rel in SOURCE_ONLY:
                    files[rel] = src.read_bytes()
                    continue
                name = prefix + rel[: -len(".py")] + ".mpy"
                files[name] = _compile(src, prefix + rel, arch, mpy_cross, Path(tmp))
    return files


def sources_sha256(firmware_dir: Path = FIRMWARE_DIR, lib_dir: Path = FIRMWARE_LIB_DIR) -> str:
    """One digest of every source that goes into a build (to tell a stale build)."""
    h = hashlib.sha256()
    for root in (firmware_dir, lib_dir):
        for src in sorted(root.rglob("*.py")):
            h.update(src.relative_to(root).as_posix().encode() + b"\0" + src.read_bytes())
    return h.hexdigest()


def read_firmware(micropython: Path) -> bytes:
    """The MicroPython release binary; BuildError naming a missing or unreadable one."""
    try:
        return micropython.read_bytes()
    except FileNotFoundError:
        raise BuildError(
            f"MicroPython firmware {micropython} not found: download ESP32_GENERIC_S3's "
            "release .bin (docs/operations.md, 'Flashing badges')"
        ) from None
    except OSError as exc:
        raise BuildError(f"cannot read {micropython}: {exc.strerror}") from None


def _layout(
    micropython: Path, firmware: bytes
) -> tuple[partitions.Partition, partitions.Partition]:
    """The vfs and app partitions of ``firmware``; BuildError when it overruns its app."""
    table = partitions.from_firmware(firmware)
    app = partitions.app_partition(table)
    if len(firmware) > app.end:
        raise BuildError(
            f"{micropython} ({len(firmware):,} bytes from 0x0) runs past the app partition "
            f"ending at {app.end:#x}"
        )
    return partitions.vfs_partition(table), app


def build(micropython: Path, arch: str = "xtensawin", **dirs: Path) -> Build:
    """Build the filesystem for the firmware binary ``micropython`` (the release .bin)."""
    firmware = read_firmware(micropython)
    vfs, app = _layout(micropython, firmware)
    return Build(collect(arch, **dirs), vfs, app, arch, firmware, sources_sha256(**dirs))


def write(result: Build, out_dir: Path) -> tuple[Path, Path]:
    """Write ``vfs.img``, ``build.json`` and the files (``files/``, what ``badge flash``
    reuses) into ``out_dir``; return the image's and the record's paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    image = result.image()
    files_dir = out_dir / "files"
    if files_dir.exists():
        shutil.rmtree(files_dir)
    for name, data in result.files.items():
        (files_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (files_dir / name).write_bytes(data)
    img_path, manifest_path = out_dir / "vfs.img", out_dir / "build.json"
    img_path.write_bytes(image)
    manifest_path.write_text(json.dumps(result.manifest(image), indent=1) + "\n")
    return img_path, manifest_path


def load_or_build(micropython: Path, arch: str, out_dir: Path) -> Build:
    """The build in ``out_dir`` when it was made from these sources for this firmware and
    arch (its files checked against build.json); else a new one, written there."""
    firmware = read_firmware(micropython)
    sources = sources_sha256()
    try:
        manifest = json.loads((out_dir / "build.json").read_text())
        fresh = (
            manifest["arch"] == arch
            and manifest["firmware_sha256"] == hashlib.sha256(firmware).hexdigest()
            and manifest["sources_sha256"] == sources
        )
        if fresh:
            files = {n: (out_dir / "files" / n).read_bytes() for n in manifest["files"]}
            if all(hashlib.sha256(d).hexdigest() == manifest["files"][n] for n, d in files.items()):
                vfs, app = _layout(micropython, firmware)
                return Build(files, vfs, app, arch, firmware, sources)
    except (OSError, ValueError, KeyError):
        pass  # no usable build there: make one
    result = build(micropython, arch)
    write(result, out_dir)
    return result
