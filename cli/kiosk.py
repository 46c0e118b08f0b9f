"""``crmsensor kiosk``: the cash-desk kiosk's edge agent."""

import signal
import threading
from pathlib import Path

import click

from cli.provisioning import provision_command
from edge_kiosk.agent import run_agent
from edge_kiosk.config import load_config


@click.group("kiosk")
def group() -> None:
    """Run and provision the kiosk's camera agent."""


@group.command("run")
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The kiosk's config JSON.",
)
def run_cmd(config_path: Path) -> None:
    """Run the kiosk agent until Ctrl-C or SIGTERM."""
    cfg = load_config(config_path)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"kiosk {cfg.device_id} reporting to {cfg.broker_host}:{cfg.broker_port}")
    run_agent(cfg, stop)


group.add_command(provision_command("kiosk"))
