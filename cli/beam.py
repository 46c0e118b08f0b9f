"""``crmsensor beam``: the beamforming toolkit."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _load_scene(path: Path):  # type: ignore[no-untyped-def]
    from beamforming import scene

    try:
        return scene.load(path)
    except scene.SceneError as e:
        raise click.ClickException(f"{path}: {e}") from None


def _check_methods(check: Callable[[list[str]], None], names: list[str]) -> None:
    """Run a method-name check; its ValueError becomes a usage error on --method."""
    try:
        check(names)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--method") from None


@group.command("simulate")
@click.argument("scene_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
def simulate_cmd(scene_file: Path, out: Path) -> None:
    """Render a scene: mics.wav (front, back) and reference.wav (the clean target at the
    front microphone), 16-bit, at the scene's rate."""
    from beamforming import scene, signals, wavio

    sc = _load_scene(scene_file)
    try:
        r = scene.render(sc)
    except signals.SignalError as e:
        raise click.ClickException(f"{scene_file}: {e}") from None
    out.mkdir(parents=True, exist_ok=True)
    wavio.write(out / "mics.wav", r.mix, sc.fs)
    wavio.write(out / "reference.wav", r.reference[None, :], sc.fs)
    click.echo(f"{out}/mics.wav, {out}/reference.wav: {sc.duration_s:g} s at {sc.fs} Hz")


@group.command("eval")
@click.argument(
    "scene_files", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the JSON document instead of tables.")
@click.option("--method", "methods", multiple=True, help="Only these methods (repeatable).")
@click.option("--plots", type=click.Path(file_okay=False, path_type=Path),
              help="Also write beampatterns and spectrograms (PNG) here.")  # fmt: skip
def eval_cmd(
    scene_files: tuple[Path, ...], as_json: bool, methods: tuple[str, ...], plots: Path | None
) -> None:
    """Every beamformer, the single microphone and pyroomacoustics' delay-and-sum and MVDR on
    the same scenes: SNR gain, SI-SDR (and its gain), STOI, customer attenuation, speed."""
    import json

    from beamforming import evaluate, scene, signals

    _check_methods(evaluate.check_names, list(methods))
    rendered = []
    for path in scene_files:
        sc = _load_scene(path)
        try:
            rendered.append(scene.render(sc))
        except signals.SignalError as e:
            raise click.ClickException(f"{path}: {e}") from None
    doc = evaluate.evaluate(rendered, list(methods) or None)
    if plots is not None:
        from beamforming import plots as plotting

        written = [p for r in rendered for p in plotting.scene_figures(r, plots)]
        written.append(plotting.beampatterns(plots))
        if not as_json:
            click.echo("wrote " + ", ".join(map(str, written)))
    if as_json:
        click.echo(json.dumps(doc, indent=1))
        return
    cols = ["delta_snr_db", "si_sdr_db", "si_sdr_gain_db", "stoi", "pesq", "customer_atten_db",
            "di_db", "wng_db", "xrt"]  # fmt: skip
    for name, body in doc["scenes"].items():
        click.echo(f"\n{name}")
        click.echo(f"  {'method':16}" + "".join(f"{c:>18}" for c in cols))
        for method, row in body["methods"].items():
            cells = ("-" if row[c] is None else f"{row[c]:.3f}" for c in cols)
            click.echo(f"  {method:16}" + "".join(f"{c:>18}" for c in cells))


@group.command("wer")
@click.argument(
    "scene_files", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
@click.option("--method", "methods", multiple=True,
              help="Methods to decode (repeatable; as in eval, plus 'clean'). "
                   "Default: clean, single, badge, badge+postfilter.")  # fmt: skip
@click.option("--input-snr-db", default=5.0, show_default=True, type=click.FloatRange(-20, 60))
@click.option("--seeds", default=8, show_default=True, type=click.IntRange(1, 100),
              help="Noise seeds per utterance (1..N).")  # fmt: skip
@click.option(
    "--customer/--no-customer",
    default=False,
    show_default=True,
    help="The customer talks over the wearer, or is silent while the wearer speaks.",
)
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--json", "as_json", is_flag=True)
def wer_cmd(
    scene_files: tuple[Path, ...], methods: tuple[str, ...], input_snr_db: float, seeds: int,
    customer: bool, jobs: int, as_json: bool,
) -> None:  # fmt: skip
    """Word error rate of the wearer's words (pocketsphinx, the LibriVox utterances of
    pocketsphinx-testdata as the wearer's speech in each scene, several noise seeds)."""
    import dataclasses
    import json

    from beamforming import signals, wer

    names = list(methods) or ["clean", "single", "badge", "badge+postfilter"]
    _check_methods(wer.check_methods, names)
    protocol = wer.Protocol(input_snr_db, tuple(range(1, seeds + 1)), customer)
    doc: dict[str, dict[str, dict[str, Any]]] = {}
    for path in scene_files:
        sc = _load_scene(path)
        try:
            doc[sc.name] = wer.word_error_rates(sc, names, protocol, workers=jobs)
        except signals.SignalError as e:
            raise click.ClickException(f"{path}: {e}") from None
    if as_json:
        click.echo(json.dumps({"protocol": dataclasses.asdict(protocol), "scenes": doc}, indent=1))
        return
    for name, rows in doc.items():
        click.echo(f"\n{name} (+{input_snr_db:g} dB input, {seeds} seeds, "
                   f"customer {'talking over' if customer else 'silent'})")  # fmt: skip
        for method, row in rows.items():
            click.echo(f"  {method:20} WER {100 * row['wer']:5.1f}%  over {row['words']} words, "
                       f"per seed {row['per_seed']}")  # fmt: skip
