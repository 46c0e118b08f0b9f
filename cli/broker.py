"""``crmsensor broker``: the project's Mosquitto configuration."""

import signal
import time
from pathlib import Path

import click

from crmsensor.broker import MosquittoProcess, render_config
from crmsensor.broker.config import PROFILES


@click.group("broker")
def group() -> None:
    """Render the Mosquitto configuration and run a broker with it."""


@group.command("config")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", default=1883, show_default=True, type=int)
@click.option("--profile", default="dev", show_default=True, type=click.Choice(PROFILES))
def config_cmd(out_dir: Path, port: int, profile: str) -> None:
    """Write mosquitto.conf (and its data folder) into OUT."""
    cfg = render_config(out_dir, port, profile)
    click.echo(f"wrote {cfg.conf_file}")


@group.command("run")
@click.option(
    "--dir",
    "out_dir",
    default=".run/broker",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--port", default=1883, show_default=True, type=int)
@click.option("--profile", default="dev", show_default=True, type=click.Choice(PROFILES))
def run_cmd(out_dir: Path, port: int, profile: str) -> None:
    """Run Mosquitto with the project's configuration until Ctrl-C."""
    cfg = render_config(out_dir, port, profile)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with MosquittoProcess(cfg):
        click.echo(f"mosquitto listening on {cfg.host}:{cfg.port}; log {cfg.log_file}")
        while not stopping:
            time.sleep(0.2)
