"""``crmsensor kiosk``: the cash-desk kiosk's edge agent."""

import json
import signal
import threading
from pathlib import Path

import click

from cli.provisioning import provision_command
from edge_kiosk.agent import run_agent
from edge_kiosk.config import load_config
from edge_kiosk.evaluation import PERTURBATIONS, LabelError, evaluate_video


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
@click.option("--json", "as_json", is_flag=True)
def eval_cmd(
    video: Path, labels: Path, fps: float | None, prime: bool, perturb: str, as_json: bool
) -> None:
    """Replay a labelled video through the session detector and score its boundaries."""
    try:
        result = evaluate_video(video, labels, fps, prime, perturb)
    except (LabelError, ValueError, FileNotFoundError) as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    s = result["scores"]
    click.echo(f"{result['video']}: {result['frames']} frames at {result['fps']:g} fps, "
               f"{len(result['rois'])} ROIs, perturbation {perturb}")  # fmt: skip
    for tol, f1 in s["f1"].items():
        click.echo(f"  boundary F1 within ±{tol}: {f1:.3f}")
    click.echo(f"  sessions: {s['found_sessions']} found, {s['true_sessions']} true "
               f"(count error {100 * s['count_error']:.1f}%)")  # fmt: skip
    click.echo(f"  service-time error: {s['service_time_mae_s']:.2f} s (mean absolute)")
    click.echo(f"  false sessions per hour: {s['false_sessions_per_hour']:.2f}")


group.add_command(provision_command("kiosk"))
