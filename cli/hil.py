"""``crmsensor hil``: hardware-in-the-loop runs."""

import signal
import subprocess
import sys
import threading
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


@group.command("rig")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="TCP port on 127.0.0.1 (0: a free one).")  # fmt: skip
@click.option("--flash-mb", type=click.Choice(["4", "8", "16"]), default="8", show_default=True,
              help="Flash size of the emulated ESP32-S3.")  # fmt: skip
@click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".run/rig"), show_default=True,
              help="Where the flash image (flash.bin) is kept between runs.")  # fmt: skip
@click.option("--mac", default="f412fa000001", show_default=True, help="The chip's MAC (hex).")
def rig_cmd(port: int, flash_mb: str, workdir: Path, mac: str) -> None:
    """Serve one emulated badge (ESP32-S3 ROM bootloader and esptool's stub flasher over its
    flash image) on a TCP port until Ctrl-C; esptool and `crmsensor badge flash` reach it
    at the printed socket:// URL. Each connection finds it in download mode."""
    from devtools.rig.server import Rig

    try:
        mac_bytes = bytes.fromhex(mac)
    except ValueError:
        mac_bytes = b""
    if len(mac_bytes) != 6:
        raise click.BadParameter(f"must be 12 hex digits, got {mac!r}", param_hint="--mac")
    try:
        rig = Rig(workdir, flash_mb=int(flash_mb), mac=mac, name="rig", port=port,
                  reset_on_close=True)  # fmt: skip
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    click.echo(f"emulated ESP32-S3 ({flash_mb} MB flash in {rig.flash.path}) at {rig.url}")
    click.echo(f"  esptool --chip esp32s3 --port {rig.url} flash-id")
    click.echo("Ctrl-C stops it", err=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        rig.close()
