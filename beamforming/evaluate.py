"""Run beamformers on rendered scenes and measure them side by side."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pyroomacoustics as pra

from beamforming import adaptive, designs, export, fixedpoint, metrics, postfilter
from beamforming.scene import Rendered, Scene


@dataclass
class Result:
    delta_snr_db: float
    si_sdr_db: float
    si_sdr_gain_db: float
    stoi: float
    customer_atten_db: float
    xrt: float
    pesq: float | None = None
    di_db: float | None = None  # directivity index at 1 kHz (designs with a response model)
    wng_db: float | None = None  # white noise gain at 1 kHz (the same)

    def as_dict(self) -> dict[str, float | None]:
        return {k: None if v is None else round(float(v), 3) for k, v in self.__dict__.items()}


def noise_covariance(noise: np.ndarray, taps: int) -> np.ndarray:
    """The (2 taps, 2 taps) covariance of the stacked last ``taps`` samples of both
    microphones, as pyroomacoustics' time-domain MVDR takes it (microphone-major)."""
    frames = np.lib.stride_tricks.sliding_window_view(noise, taps, axis=1)[:, :: taps // 4]
    stacked = frames[:, :, ::-1].transpose(1, 0, 2).reshape(-1, 2 * taps)
    return np.asarray(stacked.T @ stacked / len(stacked))


class PraReference(designs.Design):
    """pyroomacoustics' own time-domain beamformers, steered at the mouth's direct path:
    ``rake_delay_and_sum_weights``; ``rake_mvdr_filters`` as its documentation uses it (the
    scene's first interferer, white noise of the scene's noise power as R_n): ``mvdr``; and
    the same with the true noise covariance measured on the noise alone, ``mvdr_oracle``
    (an upper bound no deployed fixed MVDR has)."""

    def __init__(self, scene: Scene, kind: str, noise: np.ndarray | None = None,
                 nfft: int = 256) -> None:  # fmt: skip
        self.name = "pra_" + kind
        mics = scene.mic_positions()
        self.bf = pra.Beamformer(mics, scene.fs, N=nfft, Lg=nfft)
        target = pra.SoundSource(list(scene.target.position))
        others = [s for s in scene.sources if s.role == "interferer"]
        if kind == "das":
            self.bf.rake_delay_and_sum_weights(target)
            self.bf.filters_from_weights()
        else:
            interferer = pra.SoundSource(list(others[0].position)) if others else None
            if noise is None:
                raise ValueError("pra_mvdr needs the scene's noise (its power or covariance)")
            if kind == "mvdr_oracle":
                r_n = noise_covariance(noise, nfft)
            else:
                r_n = float(np.mean(noise**2)) * np.eye(2 * nfft)
            self.bf.rake_mvdr_filters(target, interferer, r_n, delay=0.01)

    def apply(self, x: np.ndarray) -> np.ndarray:
        self.bf.record(x, self.bf.fs)
        return np.asarray(self.bf.process(FD=False))[: x.shape[1]]


def _badge(r: Rendered, geo: designs.Geometry) -> designs.Design:
    """The badge as shipped: the fixed-point kernel with the firmware's microphone
    calibration learning the back microphone's gain from the scene, block by block."""
    return fixedpoint.FixedKernel(export.badge_fixed(geo), calibrate=True)


def _badge_uncalibrated(r: Rendered, geo: designs.Geometry) -> designs.Design:
    """The same kernel with the back microphone's gain left at 1: what calibration saves."""
    return fixedpoint.FixedKernel(export.badge_fixed(geo), name="badge-uncalibrated")


# Every method, by name: a design built from the rendered scene and its geometry.
_METHODS: dict[str, Callable[[Rendered, designs.Geometry], designs.Design]] = {
    "single": lambda r, geo: designs.SingleMic(),
    "das": lambda r, geo: designs.DelayAndSum(geo),
    "cardioid": lambda r, geo: designs.Differential(geo, "cardioid"),
    "supercardioid": lambda r, geo: designs.Differential(geo, "supercardioid"),
    "hypercardioid": lambda r, geo: designs.Differential(geo, "hypercardioid"),
    "superdirective": lambda r, geo: designs.Superdirective(geo),
    "adaptive": lambda r, geo: adaptive.AdaptiveNull(geo),
    "badge": _badge,
    "badge-uncalibrated": _badge_uncalibrated,
    "badge+postfilter": lambda r, geo: postfilter.PostFiltered(
        _badge(r, geo), postfilter.Suppressor(r.scene.fs)
    ),
    "adaptive+postfilter": lambda r, geo: postfilter.PostFiltered(
        adaptive.AdaptiveNull(geo), postfilter.Suppressor(r.scene.fs)
    ),
    # The fleet's enhanced copy (fleet/recordings/enhance.py): badge kernel, ADPCM upload,
    # postfilter.
    "badge+fleet": lambda r, geo: postfilter.AtFleet(_badge(r, geo), r.scene.fs),
    "pra_das": lambda r, geo: PraReference(r.scene, "das"),
    "pra_mvdr": lambda r, geo: PraReference(r.scene, "mvdr", r.noise),
    "pra_mvdr_oracle": lambda r, geo: PraReference(r.scene, "mvdr_oracle", r.noise),
}
NAMES = tuple(_METHODS)


def check_names(names: Iterable[str]) -> None:
    """Raise ValueError naming any unknown method (and the known ones)."""
    unknown = [n for n in names if n not in _METHODS]
    if unknown:
        raise ValueError(f"unknown method {', '.join(unknown)}; known: {', '.join(NAMES)}")


def methods(r: Rendered) -> dict[str, Callable[[], designs.Design]]:
    """Every method evaluated on a rendered scene, by name (built when used)."""
    geo = designs.Geometry(r.scene.spacing_m, r.scene.fs, r.scene.target_distance())
    return {name: partial(make, r, geo) for name, make in _METHODS.items()}


def measure(r: Rendered, design: designs.Design) -> Result:
    fs = r.scene.fs
    t0 = time.perf_counter()
    y, (ys, yn, yc) = design.process(r.mix, [r.target, r.noise, r.customer])
    elapsed = time.perf_counter() - t0
    ref = r.reference
    lag = metrics.delay_of(ref, ys)
    y, ys, yn, yc = (metrics.shift(v, lag) for v in (y, ys, yn, yc))
    in_snr = metrics.snr_db(r.target[0], r.noise[0])
    out_snr = metrics.snr_db(ys, yn)
    sdr = metrics.si_sdr_db(ref, y)
    sdr_single = metrics.si_sdr_db(ref, r.mix[0])
    # Customer: their level relative to the target's, out vs in.
    cust = (metrics.level_db(yc) - metrics.level_db(ys)) - (
        metrics.level_db(r.customer[0]) - metrics.level_db(r.target[0])
    )
    return Result(
        delta_snr_db=out_snr - in_snr,
        si_sdr_db=sdr,
        si_sdr_gain_db=sdr - sdr_single,
        stoi=metrics.stoi(ref, y, fs),
        customer_atten_db=-cust,
        xrt=r.scene.duration_s / max(elapsed / 4, 1e-9),  # four signals were processed
        pesq=metrics.pesq_wb(ref, y, fs),
        **_array_gains(design),
    )


def _array_gains(design: designs.Design) -> dict[str, float]:
    """Directivity index and white noise gain at 1 kHz of a differential design (the badge's
    float design for the badge)."""
    d = design
    if isinstance(d, fixedpoint.FixedKernel):
        d = export.badge_float()
    if not isinstance(d, designs.Differential):
        return {}
    look = d.response(1000.0, 0.0)
    eq = d.eq.g / (1 - d.eq.a * np.exp(-2j * np.pi * 1000.0 / d.geo.fs))
    return {
        "di_db": metrics.directivity_index_db(d.response, 1000.0),
        "wng_db": metrics.white_noise_gain_db(d.hf, d.hb, look, 1000.0, d.geo.fs, eq),
    }


def evaluate(rendered: list[Rendered], only: list[str] | None = None) -> dict[str, Any]:
    """The JSON document ``crmsensor beam eval --json`` prints."""
    check_names(only or ())
    out: dict[str, Any] = {"scenes": {}}
    for r in rendered:
        rows = {}
        for name, make in methods(r).items():
            if only and name not in only:
                continue
            rows[name] = measure(r, make()).as_dict()
        out["scenes"][r.scene.name] = {"methods": rows}
    return out
