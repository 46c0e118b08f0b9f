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
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The badge's config JSON.",
)
def sim_cmd(config_path: Path) -> None:
    """Run the real badge firmware in the MicroPython unix port with a simulated board."""
    argv = badge_command(config_path)
    sys.stdout.flush()
    os.execve(argv[0], argv, micropython_env())


group.add_command(provision_command("badge"))
