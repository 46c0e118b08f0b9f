"""``crmsensor sim``: simulated devices and the whole-system demo."""

import asyncio
from pathlib import Path

import click

from devtools.fwtools import flashimage
from devtools.sim import accel


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
    from devtools.sim.demo import DemoOptions, run_demo  # the whole system: only when run

    opts = DemoOptions(workdir=workdir.resolve(), http_port=http_port, badges=badges, kiosks=kiosks)
    asyncio.run(run_demo(opts, click.echo))


@group.command("fleet")
@click.option("--devices", "badges", default=100, show_default=True,
              type=click.IntRange(0, 100_000), help="Simulated badges.")  # fmt: skip
@click.option("--kiosks", default=0, show_default=True, type=click.IntRange(0, 100_000))
@click.option("--duration", default=60.0, show_default=True, type=click.FloatRange(1, 86_400),
              help="Seconds.")  # fmt: skip
@click.option("--broker", "broker", default="127.0.0.1:1883", show_default=True,
              help="MQTT broker HOST:PORT.")  # fmt: skip
@click.option("--tele-s", default=10.0, show_default=True, type=click.FloatRange(0.05, 3600))
@click.option("--evt-s", default=60.0, show_default=True, type=click.FloatRange(0.05, 86_400))
@click.option("--upload-share", default=0.05, show_default=True, type=click.FloatRange(0, 1),
              help="Share of the badges uploading a recording every --upload-every-s.")  # fmt: skip
@click.option("--upload-every-s", default=60.0, show_default=True,
              type=click.FloatRange(1, 86_400))  # fmt: skip
@click.option("--procs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes to spread the devices over.")  # fmt: skip
@click.option("--ramp-s", default=None, type=click.FloatRange(0, 3600),
              help="Spread the devices' start over this many seconds "
                   "[default: min(--tele-s, 5)].")  # fmt: skip
@click.option("--prefix", default="sim", show_default=True,
              help="Device ids are <prefix>b-00000... and <prefix>k-00000...")  # fmt: skip
@click.option("--tls-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Client certificates <id>.crt/.key and ca.crt: connect with TLS.")  # fmt: skip
@click.option("--ca-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="With --tls-dir: issue the missing certificates from this fleet CA "
                   "(passphrase from CRMS_CA_PASSPHRASE).")  # fmt: skip
@click.option("--register", "register_db", metavar="DB_URL",
              help="Register the devices in this fleet database first.")  # fmt: skip
def fleet_cmd(
    badges: int,
    kiosks: int,
    duration: float,
    broker: str,
    tele_s: float,
    evt_s: float,
    upload_share: float,
    upload_every_s: float,
    procs: int,
    ramp_s: float | None,
    prefix: str,
    tls_dir: Path | None,
    ca_dir: Path | None,
    register_db: str | None,
) -> None:
    """Thousands of light devices speaking the real contract; prints what they sent."""
    import os
    import re

    from devtools.sim import fleet_load
    from fleet.settings import host_port

    if not re.fullmatch(r"[a-z0-9]{1,8}", prefix):
        raise click.BadParameter("1-8 lowercase letters or digits", param_hint="--prefix")
    host, port = host_port(broker, "--broker")
    plan = fleet_load.LoadPlan(
        badges, kiosks, duration, tele_s, evt_s, upload_share, upload_every_s, host=host,
        port=port, tls_dir=tls_dir, prefix=prefix, ramp_s=ramp_s,
    )  # fmt: skip
    ids = plan.device_ids()
    if ca_dir is not None:
        if tls_dir is None:
            raise click.UsageError("--ca-dir issues certificates into --tls-dir: give both")
        fleet_load.provision(ca_dir, os.environ.get("CRMS_CA_PASSPHRASE", ""),
                             [d for d, _ in ids], tls_dir)  # fmt: skip
    if register_db:
        asyncio.run(fleet_load.register_all(register_db, ids))
    sent = fleet_load.run_load(plan, procs)
    click.echo(fleet_load.summary(plan, sent))


def _segment(value: str) -> tuple[str, float]:
    kind, _, seconds = value.partition(":")
    if kind not in accel.WORN_KINDS + accel.UNWORN_KINDS:
        kinds = ", ".join(accel.WORN_KINDS + accel.UNWORN_KINDS)
        raise click.BadParameter(f"unknown kind {kind!r} (one of {kinds})")
    try:
        s = float(seconds)
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected KIND:SECONDS, e.g. still:30") from None
    if not 1 <= s <= 24 * 3600:
        raise click.BadParameter(f"{value!r}: seconds must be 1-86400")
    return kind, s


@group.command("scenario")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--segment",
    "segments",
    multiple=True,
    required=True,
    help="KIND:SECONDS, repeated in order (worn: still, bm_walking...; not worn: desk_up, "
    "face_down, drawer...).",
)
@click.option(
    "--charge-at", type=click.FloatRange(0), help="World second the charger is plugged in."
)
@click.option("--speed", default=1.0, show_default=True, type=click.FloatRange(0.1, 100))
@click.option("--seed", default=1, show_default=True, type=int)
def scenario_cmd(
    out: Path, segments: tuple[str, ...], charge_at: float | None, speed: float, seed: int
) -> None:
    """Write a simulated badge's world: two-microphone WAV with real speech while worn, an
    accelerometer trace, a charger timeline (run it with `crmsensor badge sim --scenario`)."""
    from devtools.sim import scenario  # speech and scipy: only when a world is built

    parsed = [_segment(s) for s in segments]
    world = scenario.build(out, parsed, charge_at, speed=speed, seed=seed)
    click.echo(f"{world.path}: {world.duration_s:.1f} s, worn {world.worn}, charge at {charge_at}")


@group.command("flash-image")
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--size-kb", default=512, show_default=True, type=click.IntRange(16, 1 << 20),
    help="Image size; a multiple of 4 (4096-byte blocks).",
)  # fmt: skip
def flash_image_cmd(bundle: Path, out: Path, size_kb: int) -> None:
    """Pack a provisioning bundle into a LittleFS image the simulated badge boots from."""
    try:
        flashimage.write(flashimage.bundle_files(bundle), out, size_kb * 1024)
    except (FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"{out}: {size_kb} KiB LittleFS with {', '.join(flashimage.bundle_files(bundle))}")
