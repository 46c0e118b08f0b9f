"""``crmsensor badge``: work with one badge."""

import os
import sys
from pathlib import Path

import click

from cli.provisioning import provision_command
from crmsensor.fwtools.runner import micropython_env
from crmsensor.sim.devices import badge_command


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
