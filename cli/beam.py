"""``crmsensor beam``: the beamforming toolkit."""

from pathlib import Path

import click


@click.group("beam")
def group() -> None:
    """Design, simulate and evaluate two-mic beamformers; export the badge's kernel."""


@group.command("export")
@click.option(
    "--design", default="badge", show_default=True,
    help="badge (the shipped design), das, cardioid, supercardioid or hypercardioid.",
)  # fmt: skip
@click.option("--spacing-mm", default=17.5, show_default=True, type=click.FloatRange(2, 100))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the config's beam section here (default: print it).")  # fmt: skip
@click.option("--firmware", is_flag=True,
              help="Rewrite the firmware's built-in default (crms/dsp/badge_beam.py).")  # fmt: skip
def export_cmd(design: str, spacing_mm: float, out: Path | None, firmware: bool) -> None:
    """Fixed-point coefficients of a design, in the form the badge firmware loads."""
    from beamforming import designs, export

    try:
        fd = export.design_by_name(design, designs.Geometry(spacing_mm / 1000))
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--design") from None
    if firmware:
        if design != "badge":
            raise click.UsageError("--firmware writes the badge design only")
        export.FIRMWARE_MODULE.write_text(export.firmware_module(fd))
        click.echo(f"wrote {export.FIRMWARE_MODULE}")
    text = export.config_json(fd)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n")
        click.echo(f"wrote {out}")
