"""Entry point of the ``crmsensor`` command."""

import logging
import sys

import click

from cli import badge as badge_cmds
from cli import beam, broker, firmware, fleet, hil, kiosk, sim
from crmsensor import __version__
from crmsensor.errors import CrmsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crmsensor")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def cli(verbose: bool) -> None:
    """CRMsensor: badge firmware, kiosk agent, beamforming and fleet manager tools."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


for group in (
    firmware.group,
    badge_cmds.group,
    kiosk.group,
    fleet.group,
    beam.group,
    broker.group,
    sim.group,
    hil.group,
):
    cli.add_command(group)


def main() -> None:
    """Run the CLI; project errors print one line and exit 1, no traceback."""
    try:
        cli.main(standalone_mode=False)
    except CrmsError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
