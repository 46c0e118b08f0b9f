"""``crmsensor broker``: the project's Mosquitto configuration."""

import asyncio
import signal
import time
from collections.abc import Callable
from pathlib import Path

import click

from cli.fleet import CA_DIR_OPTION, ca_passphrase, registered_ids
from devtools.broker import MosquittoProcess, render_config
from devtools.broker.config import PROFILES, BrokerConfig
from fleet.identity.broker_access import broker_tls_files, signal_reload, write_acl
from fleet.identity.ca import FleetCA


@click.group("broker")
def group() -> None:
    """Render the Mosquitto configuration and run a broker with it."""


def _tls_options(f: Callable[..., None]) -> Callable[..., None]:
    f = CA_DIR_OPTION(f)
    f = click.option(
        "--db",
        "db_url",
        default="sqlite://.run/fleet.sqlite3",
        show_default=True,
        help="tls profile: the fleet database whose registry the ACL is made from.",
    )(f)
    f = click.option(
        "--host",
        "hosts",
        multiple=True,
        help="tls profile: names and addresses in the broker's certificate "
        "[default: 127.0.0.1, localhost].",
    )(f)
    return f


def _render(
    out_dir: Path,
    port: int,
    profile: str,
    bind: str,
    ca_dir: Path,
    db_url: str,
    hosts: tuple[str, ...],
) -> BrokerConfig:
    if profile != "tls":
        return render_config(out_dir, port, profile, bind)
    ca = FleetCA.open(ca_dir, ca_passphrase())
    devices = asyncio.run(registered_ids(db_url))
    tls = broker_tls_files(ca, out_dir / "tls", hosts or ("127.0.0.1", "localhost"), devices)
    return render_config(out_dir, port, profile, bind, tls)


@group.command("config")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", default=1883, show_default=True, type=int)
@click.option("--bind", default="127.0.0.1", show_default=True, help="Listen address.")
@click.option("--profile", default="dev", show_default=True, type=click.Choice(PROFILES))
@_tls_options
def config_cmd(
    out_dir: Path,
    port: int,
    bind: str,
    profile: str,
    ca_dir: Path,
    db_url: str,
    hosts: tuple[str, ...],
) -> None:
    """Write mosquitto.conf (and its data folder; for tls, its certificate and ACL) into OUT."""
    cfg = _render(out_dir, port, profile, bind, ca_dir, db_url, hosts)
    click.echo(f"wrote {cfg.conf_file}")


@group.command("acl")
@click.option(
    "--dir",
    "out_dir",
    default=".run/broker",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The broker's folder (as given to `broker config --out` or `broker run --dir`).",
)
@click.option("--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True)
def acl_cmd(out_dir: Path, db_url: str) -> None:
    """Rewrite the ACL from the registry and make the running broker reload it."""
    acl_file = out_dir / "tls" / "acl"
    if not acl_file.parent.is_dir():
        raise click.BadParameter(f"{out_dir} holds no tls broker configuration", param_hint="--dir")
    changed = write_acl(acl_file, asyncio.run(registered_ids(db_url)))
    reloaded = signal_reload(out_dir / "mosquitto.pid")
    click.echo(
        f"ACL {'rewritten' if changed else 'unchanged'}; "
        + ("broker reloaded" if reloaded else "no broker running (it reads the ACL at start)")
    )


@group.command("run")
@click.option(
    "--dir",
    "out_dir",
    default=".run/broker",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--port", default=1883, show_default=True, type=int)
@click.option("--bind", default="127.0.0.1", show_default=True, help="Listen address.")
@click.option("--profile", default="dev", show_default=True, type=click.Choice(PROFILES))
@_tls_options
def run_cmd(
    out_dir: Path,
    port: int,
    bind: str,
    profile: str,
    ca_dir: Path,
    db_url: str,
    hosts: tuple[str, ...],
) -> None:
    """Run Mosquitto with the project's configuration until Ctrl-C."""
    cfg = _render(out_dir, port, profile, bind, ca_dir, db_url, hosts)
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
