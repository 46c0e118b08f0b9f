"""Pictures of designs and scenes: polar beampatterns and spectrograms, as PNG."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from beamforming import designs, export
from beamforming.scene import Rendered


def beampatterns(out: Path, freqs: tuple[float, ...] = (250, 500, 1000, 2000, 4000)) -> Path:
    """Far-field polar patterns (dB, 0 = the look direction, towards the mouth) of the
    differential designs, the badge's among them."""
    out.mkdir(parents=True, exist_ok=True)
    geo = designs.Geometry()
    th = np.linspace(0, 2 * np.pi, 361)
    names = ["cardioid", "supercardioid", export.BADGE_PATTERN]
    fig, axes = plt.subplots(1, len(names), subplot_kw={"projection": "polar"}, figsize=(13, 4.5))
    for ax, name in zip(axes, names, strict=True):
        d = designs.Differential(geo, name, export.BADGE_CORNER_HZ)
        for f in freqs:
            r = np.array([abs(d.response(f, t)) for t in th])
            ax.plot(th, np.maximum(20 * np.log10(r / r[0] + 1e-9), -40), label=f"{f:g} Hz")
        ax.set_rlim(-40, 3)
        ax.set_theta_zero_location("N")
        ax.set_title(name + (" (badge)" if name == export.BADGE_PATTERN else ""))
    axes[-1].legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8)
    path = out / "beampatterns.png"
    fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)
    return path


def scene_figures(r: Rendered, out: Path) -> list[Path]:
    """Spectrograms of the clean target, the single microphone and the badge's output."""
    out.mkdir(parents=True, exist_ok=True)
    fs = r.scene.fs
    geo = designs.Geometry(r.scene.spacing_m, fs, r.scene.target_distance())
    from beamforming import fixedpoint

    badge = fixedpoint.FixedKernel(export.badge_fixed(geo)).apply(r.mix)
    rows = [("clean target", r.reference), ("single microphone", r.mix[0]), ("badge", badge)]
    fig, axes = plt.subplots(len(rows), 1, figsize=(10, 7), sharex=True)
    for ax, (title, x) in zip(axes, rows, strict=True):
        ax.specgram(x, NFFT=512, Fs=fs, noverlap=384, cmap="magma", vmin=-150, vmax=-40)
        ax.set_ylabel("Hz")
        ax.set_title(title, fontsize=9)
    axes[-1].set_xlabel("s")
    path = out / f"{r.scene.name}_spectrograms.png"
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
    return [path]
