"""``crmsensor sim``: simulated devices and the whole-system demo."""

import asyncio
from pathlib import Path

import click

from crmsensor.sim.demo import DemoOptions, run_demo


@click.group("sim")
def group() -> None:
    """Simulate devices, or run the whole system on this machine."""


@group.command("demo")
@click.option(
    "--http-port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Fleet manager port (a free one is used if taken).",
)
@click.option("--badges", default=1, show_default=True, type=click.IntRange(0, 50))
@click.option("--kiosks", default=1, show_default=True, type=click.IntRange(0, 50))
@click.option(
    "--workdir",
    default=".run/demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
def demo_cmd(http_port: int, badges: int, kiosks: int, workdir: Path) -> None:
    """Broker + fleet manager + simulated badge(s) and kiosk(s), until Ctrl-C."""
    opts = DemoOptions(workdir=workdir.resolve(), http_port=http_port, badges=badges, kiosks=kiosks)
    asyncio.run(run_demo(opts, click.echo))
