"""``crmsensor hil``: hardware-in-the-loop runs."""

import subprocess
import sys
from pathlib import Path

import click

from devtools.paths import ROOT


@click.group("hil")
def group() -> None:
    """Run hardware-in-the-loop tests on a real badge or the emulated rig."""


@group.command("run", context_settings={"ignore_unknown_options": True})
@click.option("--port", "ports", multiple=True,
              help="A real badge's serial port (repeat); none: the emulated rig.")  # fmt: skip
@click.option("--micropython", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="MicroPython's ESP32_GENERIC_S3 release .bin, for real badges.")  # fmt: skip
@click.option("--rigs", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Emulated badges for tests that use several.")  # fmt: skip
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(".run/hil/junit.xml"), show_default=True)  # fmt: skip
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run_cmd(
    ports: tuple[str, ...], micropython: Path | None, rigs: int, junit: Path,
    pytest_args: tuple[str, ...],
) -> None:  # fmt: skip
    """Run hil_tests/ (pytest) and write a JUnit report; each DUT's console log path is
    recorded in it. Extra arguments go to pytest (e.g. -k bringup)."""
    junit.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "pytest", str(ROOT / "hil_tests"), f"--junitxml={junit}"]
    argv += ["-o", "junit_logging=all", f"--hil-rigs={rigs}"]
    argv += [f"--hil-port={p}" for p in ports]
    if micropython is not None:
        argv.append(f"--hil-micropython={micropython}")
    argv += list(pytest_args)
    sys.exit(subprocess.run(argv, cwd=ROOT, check=False).returncode)
