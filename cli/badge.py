"""``crmsensor badge``: work with one badge."""

import os
import sys
from pathlib import Path

import click

from cli import flash_progress
from cli.provisioning import provision_command
from devtools.fwtools import build, flasher, flashimage
from devtools.fwtools.runner import micropython_env
from devtools.sim.devices import badge_command


@click.group("badge")
def group() -> None:
    """Provision, flash and run audio badges."""


@group.command("sim")
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The badge's config JSON (or --flash).",
)
@click.option(
    "--flash",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A LittleFS image holding config.json (crmsensor sim flash-image).",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The world it lives in (crmsensor sim scenario); without one it lies on a desk.",
)
@click.option("--heap", default="192k", show_default=True, help="MicroPython heap size.")
def sim_cmd(
    config_path: Path | None, flash: Path | None, scenario_path: Path | None, heap: str
) -> None:
    """Run the real badge firmware in the MicroPython unix port with a simulated board."""
    if (config_path is None) == (flash is None):
        raise click.UsageError("give exactly one of --config and --flash")
    argv = badge_command(config_path, scenario_path, flash, heap)
    sys.stdout.flush()
    os.execve(argv[0], argv, micropython_env())


group.add_command(provision_command("badge"))


@group.command("flash")
@click.option("--port", "ports", multiple=True, required=True,
              help="Serial port, glob (/dev/ttyACM*) or pyserial URL (socket://HOST:PORT); "
                   "repeat for several badges, flashed in parallel.")  # fmt: skip
@click.option("--micropython", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="MicroPython's ESP32_GENERIC_S3 release .bin (written at 0x0).")  # fmt: skip
@click.option("--bundle", "bundles", multiple=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A provisioning bundle (crmsensor badge provision --out) per port, in the "
                   "same order; without one a badge gets the firmware only.")  # fmt: skip
@click.option("--arch", type=click.Choice(build.ARCHES), default="xtensawin", show_default=True,
              help="mpy-cross target: xtensawin (a badge), x64 (the emulated rig).")  # fmt: skip
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build/firmware"), show_default=True,
              help="Reused when it was built from these sources and firmware.")  # fmt: skip
@click.option("--erase", is_flag=True, help="Erase the whole flash first (needs the stub).")
@click.option("--no-stub", is_flag=True,
              help="ROM bootloader only (slower; what the emulated rig speaks).")  # fmt: skip
@click.option("--baud", type=click.IntRange(9600, 5_000_000), default=460800, show_default=True)
@click.option("--logs", "log_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".run/flash-logs"), show_default=True,
              help="One log per badge.")  # fmt: skip
def flash_cmd(
    ports: tuple[str, ...],
    micropython: Path,
    bundles: tuple[Path, ...],
    arch: str,
    build_dir: Path,
    erase: bool,
    no_stub: bool,
    baud: int,
    log_dir: Path,
) -> None:
    """Flash MicroPython and the badge firmware (with each badge's provisioning bundle)
    into one or many badges, verify and reset them. The exit code is the number of badges
    that failed."""
    targets = flasher.expand_ports(ports)
    if bundles and len(bundles) != len(targets):
        raise click.UsageError(
            f"{len(bundles)} --bundle for {len(targets)} ports: give one per port, or none"
        )
    for bundle in bundles:  # before any badge is touched
        if not (bundle / "config.json").is_file():
            raise click.BadParameter(
                f"{bundle} holds no config.json (run crmsensor badge provision)",
                param_hint="--bundle",
            )
    result = build.load_or_build(micropython, arch, build_dir)
    by_port = dict(zip(targets, bundles, strict=True)) if bundles else {}

    def images_for(port: str) -> list[flasher.Image]:
        extra = flashimage.bundle_files(by_port[port]) if port in by_port else None
        return [(0x0, result.firmware), (result.vfs.offset, result.image(extra))]

    results = flash_progress.run(
        targets, images_for, log_dir, erase=erase, stub=not no_stub, baud=baud
    )
    failed = sum(1 for r in results if not r.ok)
    sys.exit(min(failed, 125))
