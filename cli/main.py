"""Entry point of the ``crmsensor`` command."""

import importlib
import logging
import sys

import click

from crmsensor import __version__
from crmsensor.errors import CrmsError

# Each command group, its module and the extra (pyproject.toml) its dependencies come with.
# Groups are imported when used, so an install with one role's extra runs that role's
# commands and names the extra for the others.
GROUPS = {
    "firmware": ("cli.firmware", "flash"),
    "badge": ("cli.badge", "flash,fleet"),
    "kiosk": ("cli.kiosk", "kiosk,fleet"),
    "fleet": ("cli.fleet", "fleet"),
    "beam": ("cli.beam", "beam"),
    "broker": ("cli.broker", "fleet"),
    "sim": ("cli.sim", "all"),
    "hil": ("cli.hil", "flash"),
}


PROJECT_PACKAGES = ("cli", "crmsensor", "devtools", "fleet", "edge_kiosk", "beamforming")


def _not_installed(name: str, extra: str, missing: str) -> click.Command:
    hint = f"pip install 'crmsensor[{extra}]'"

    def refuse(args: tuple[str, ...]) -> None:
        raise click.ClickException(f"`crmsensor {name}` needs {missing}, not installed: {hint}")

    return click.Command(
        name,
        callback=refuse,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        help=f"(not installed: {hint})",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        add_help_option=False,
    )


class _Groups(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(GROUPS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in GROUPS:
            return None
        module, extra = GROUPS[cmd_name]
        try:
            group: click.Command = importlib.import_module(module).group
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] in PROJECT_PACKAGES:
                raise
            return _not_installed(cmd_name, extra, exc.name or "a module")
        return group


@click.group(cls=_Groups, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crmsensor")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def cli(verbose: bool) -> None:
    """CRMsensor: badge firmware, kiosk agent, beamforming and fleet manager tools."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    """Run the CLI; project errors print one line and exit 1, no traceback."""
    try:
        cli.main(standalone_mode=False)
    except CrmsError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(130)
    except ModuleNotFoundError as exc:  # a command of a group whose extra is not installed
        if (exc.name or "").split(".")[0] in PROJECT_PACKAGES:
            raise
        click.secho(f"error: {exc.name} is not installed; this command needs another extra "
                    "(pip install 'crmsensor[all]', or see docs/operations.md)", fg="red",
                    err=True)  # fmt: skip
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
