"""``crmsensor firmware bundle``: the badge app as an update (a release's bundle).

The bundle is a POSIX tar (ustar, uncompressed: the badge unpacks it block by block with
firmware/crms/bundle.py) of what goes into an update slot: the firmware's ``crms`` package and
the pinned libraries (``lib/``), compiled as ``firmware build`` compiles them, with
``crms/__init__.py``'s ``VERSION`` set to the release's version, and optionally the release
keys this version will trust for the next update (``trusted_keys.json``). ``main.py`` and
``loader.py`` stay as the bench flashed them: an update never replaces what chooses the slot.
The same inputs give the same bytes.
"""

import io
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

from crmsensor.release_keys import load_trusted, version_tuple
from devtools.fwtools.build import BuildError, collect
from devtools.paths import FIRMWARE_DIR, FIRMWARE_LIB_DIR

NOT_IN_SLOTS = ("main.py", "loader.mpy")
_VERSION_LINE = re.compile(r'^VERSION = "[^"]*"$', re.M)


def _tar(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(files[name]))
    return out.getvalue()


def app_bundle(
    version: str,
    arch: str = "xtensawin",
    trusted: Path | None = None,
    firmware_dir: Path = FIRMWARE_DIR,
    lib_dir: Path = FIRMWARE_LIB_DIR,
) -> bytes:
    """The update bundle of the firmware in ``firmware_dir`` as version ``version``."""
    version_tuple(version)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "firmware"
        shutil.copytree(firmware_dir, src, ignore=shutil.ignore_patterns("__pycache__"))
        init = src / "crms" / "__init__.py"
        text, n = _VERSION_LINE.subn(f'VERSION = "{version}"', init.read_text())
        if n != 1:
            raise BuildError(f"{init.relative_to(tmp)} has no VERSION line to set")
        init.write_text(text)
        files = {n: d for n, d in collect(arch, src, lib_dir).items() if n not in NOT_IN_SLOTS}
    if trusted is not None:
        load_trusted(trusted)  # names what is wrong with the list before it ships
        files["trusted_keys.json"] = trusted.read_bytes()
    return _tar(files)
