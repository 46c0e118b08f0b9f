"""``crmsensor kiosk``: the cash-desk kiosk's edge agent."""

import dataclasses
import json
import os
import signal
import sys
import threading
from pathlib import Path

import click

from cli.provisioning import provision_command
from edge_kiosk import detector
from edge_kiosk.agent import run_agent
from edge_kiosk.config import load_config
from edge_kiosk.counter_scenes import CounterScene
from edge_kiosk.counter_scenes import write as write_sequence
from edge_kiosk.detector import PRESETS
from edge_kiosk.perturbation import PERTURBATIONS


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
    if os.environ.get("CRMS_KIOSK_ROOT"):  # started by edge_kiosk/deploy/launch.py
        cfg = dataclasses.replace(cfg, update_root=Path(os.environ["CRMS_KIOSK_ROOT"]))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"kiosk {cfg.device_id} reporting to {cfg.broker_host}:{cfg.broker_port}")
    code = run_agent(cfg, stop)
    if code:
        sys.exit(code)  # 3: systemd starts the new version


PRIME_HELP = (
    "Learn each ROI's empty reference from the clip first (a frame a second), as a kiosk that "
    "ran before the clip; else the first frame is the reference."
)


@group.command("eval")
@click.option("--video", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--labels", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV: roi,x0,y0,x1,y1,start_frame,end_frame.")  # fmt: skip
@click.option("--fps", type=click.FloatRange(min=0.1, max=1000),
              help="The video's true frame rate, when its container's is wrong.")  # fmt: skip
@click.option("--prime/--no-prime", default=True, show_default=True, help=PRIME_HELP)
@click.option("--perturb", type=click.Choice(PERTURBATIONS), default="none", show_default=True,
              help="Simulated auto-exposure on every frame.")  # fmt: skip
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True,
              help="The simulated auto-exposure's random gain sequence.")  # fmt: skip
@click.option("--preset", type=click.Choice(list(PRESETS)), default="counter", show_default=True,
              help="Detector parameters: a cash desk, or a walkway such as vtest.avi.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
def eval_cmd(
    video: Path,
    labels: Path,
    fps: float | None,
    prime: bool,
    perturb: str,
    seed: int,
    preset: str,
    as_json: bool,
) -> None:
    """Replay a labelled video through the session detector and score its boundaries."""
    from edge_kiosk import evaluation  # scipy's assignment solver: only when scoring

    try:
        result = evaluation.evaluate_video(
            video, labels, fps, prime, perturb, detector.preset(preset), perturb_seed=seed
        )
    except (evaluation.LabelError, ValueError, FileNotFoundError) as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    s = result["scores"]
    click.echo(f"{result['video']}: {result['frames']} frames at {result['fps']:g} fps, "
               f"{len(result['rois'])} ROIs, preset {preset}, perturbation {perturb}"
               + (f" (seed {seed})" if perturb != "none" else ""))  # fmt: skip
    for tol, f1 in s["f1"].items():
        click.echo(f"  boundary F1 within ±{tol}: {f1:.3f}")
    click.echo(f"  sessions: {s['found_sessions']} found, {s['true_sessions']} true "
               f"(count error {100 * s['count_error']:.1f}%)")  # fmt: skip
    click.echo(f"  service-time error: {s['service_time_mae_s']:.2f} s (mean absolute)")
    click.echo(f"  false sessions per hour: {s['false_sessions_per_hour']:.2f}")


@group.command("make-sequence")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="counter", show_default=True)
@click.option("--seconds", type=click.FloatRange(1, 24 * 3600), default=600, show_default=True)
@click.option("--fps", type=click.FloatRange(1, 60), default=5, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--empty", is_flag=True, help="No customers: footage for false sessions per hour.")
@click.option("--stay-s", nargs=2, type=click.FloatRange(1, 3600), default=(20.0, 240.0),
              show_default=True, help="Shortest and longest service, seconds.")  # fmt: skip
@click.option("--photos", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".cache/opencv"), show_default=True,
              help="Where scripts/fetch-opencv-samples put opencv-doc's photos.")  # fmt: skip
def make_sequence_cmd(
    out: Path,
    name: str,
    seconds: float,
    fps: float,
    seed: int,
    empty: bool,
    stay_s: tuple[float, float],
    photos: Path,
) -> None:
    """Write a counter-like labelled sequence (AVI + labels CSV) built from real photos."""
    try:
        scene = CounterScene(seconds, fps, seed, customers=not empty, stay_s=stay_s)
        if not empty and not scene.visits:
            raise ValueError(f"no customer fits in {seconds:g} s: lower --stay-s")
        video, table = write_sequence(scene, photos, out, name)
    except (FileNotFoundError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{video} ({len(scene.visits)} customers), labels {table}")


group.add_command(provision_command("kiosk"))
