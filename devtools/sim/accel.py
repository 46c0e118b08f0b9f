"""Accelerometer traces for the badge's worn gate: labelled, seeded, in the units the badge
reads (mg, x across the badge, y up towards the mouth, z out of its face).

Worn motion comes from two sources: sktime's bundled BasicMotions set (a smartwatch's real
accelerometer while standing, walking, running and playing badminton; 10 Hz, gravity removed,
m/s^2), added to an upright badge's gravity vector; and a model of a still-standing wearer
(breathing tilts the chest 1-2 degrees at 0.2-0.33 Hz, posture sways about half a degree).
Not-worn traces (desk face up or down, a drawer, standing upright in a stand, a desk that is
bumped) carry the sensor model only: LIS3DH high-resolution mode at 25 Hz, about 0.8 mg rms
noise per axis, 1 mg steps, a zero-g offset of up to 40 mg per axis.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from devtools.paths import MOTION_DIR

RATE_HZ = 25
G_MG = 1000.0
NOISE_MG = 0.8
WORN_KINDS = ("still", "bm_standing", "bm_walking", "bm_running", "bm_badminton")
UNWORN_KINDS = ("desk_up", "face_down", "drawer", "stand_upright", "desk_bumped")
_BM_LABELS = {"bm_standing": "Standing", "bm_walking": "Walking", "bm_running": "Running",
              "bm_badminton": "Badminton"}  # fmt: skip


@dataclass
class Trace:
    """Samples (n, 3) int mg at ``rate``, and the truth per sample (True = worn)."""

    xyz: np.ndarray
    worn: np.ndarray
    rate: int = RATE_HZ

    def write_csv(self, path: Path) -> Path:
        """``t_s,x_mg,y_mg,z_mg``: the format the simulated board replays."""
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["t_s", "x_mg", "y_mg", "z_mg"])
            for i, (x, y, z) in enumerate(self.xyz.tolist()):
                w.writerow([f"{i / self.rate:.3f}", x, y, z])
        return path

    def segments(self) -> list[tuple[float, float, bool]]:
        """(start_s, end_s, worn) runs of the truth."""
        out = []
        start = 0
        for i in range(1, len(self.worn) + 1):
            if i == len(self.worn) or self.worn[i] != self.worn[start]:
                out.append((start / self.rate, i / self.rate, bool(self.worn[start])))
                start = i
        return out


def basic_motions() -> dict[str, list[np.ndarray]]:
    """BasicMotions accelerometer series per class, each (3, 100) in m/s^2 at 10 Hz.

    Read from the .ts files ``scripts/fetch-motion-data`` takes out of sktime's wheel into
    ``.cache/motion/`` (``./bootstrap.sh test`` runs it)."""
    folder = MOTION_DIR
    if not (folder / "BasicMotions_TRAIN.ts").is_file():
        raise FileNotFoundError(
            f"no BasicMotions data in {folder}: run scripts/fetch-motion-data "
            "(./bootstrap.sh test does)"
        )
    out: dict[str, list[np.ndarray]] = {}
    for part in ("TRAIN", "TEST"):
        for line in (folder / f"BasicMotions_{part}.ts").read_text().splitlines():
            if not line or line[0] in "#@":
                continue
            dims = line.split(":")
            series = np.array([[float(v) for v in d.split(",")] for d in dims[:3]])
            out.setdefault(dims[-1], []).append(series)
    return out


def _rotate_gravity(tilt_x: np.ndarray, tilt_z: np.ndarray) -> np.ndarray:
    # Gravity as the badge sees it when tilted by small angles (radians) about z and x.
    x = G_MG * np.sin(tilt_x)
    z = G_MG * np.sin(tilt_z) * np.cos(tilt_x)
    y = G_MG * np.cos(tilt_x) * np.cos(tilt_z)
    return np.stack([x, y, z], axis=1)


def _lowpass_walk(rng: np.random.Generator, n: int, rms: float, alpha: float) -> np.ndarray:
    w = rng.normal(0, 1, n)
    out = np.empty(n)
    acc = 0.0
    for i in range(n):
        acc = (1 - alpha) * acc + alpha * w[i]
        out[i] = acc
    return np.asarray(out / (out.std() + 1e-12) * rms)


def _worn_still(rng: np.random.Generator, n: int, rate: int) -> np.ndarray:
    t = np.arange(n) / rate
    f = rng.uniform(0.2, 0.33)
    breath = np.deg2rad(rng.uniform(1.0, 2.0)) * np.sin(2 * np.pi * f * t + rng.uniform(0, 6.3))
    base_x, base_z = np.deg2rad(rng.uniform(-15, 15, 2))
    sway_x = np.deg2rad(_lowpass_walk(rng, n, 0.5, 0.05))
    sway_z = np.deg2rad(_lowpass_walk(rng, n, 0.5, 0.05))
    return _rotate_gravity(base_x + sway_x, base_z + breath + sway_z)


def _basic_motion(rng: np.random.Generator, kind: str, n: int, rate: int) -> np.ndarray:
    series = basic_motions()[_BM_LABELS[kind]]
    pieces = []
    total = 0
    while total < n:
        # The dynamic part only: each series' mean is what the watch's gravity removal left
        # behind on a wrist, not motion a badge on the chest would see.
        s = series[int(rng.integers(len(series)))]
        s = s - s.mean(axis=1, keepdims=True)
        t_src = np.arange(s.shape[1]) / 10.0
        t_dst = np.arange(int(s.shape[1] / 10.0 * rate)) / rate
        up = np.stack([np.interp(t_dst, t_src, s[i]) for i in range(3)], axis=1)
        pieces.append(up * (G_MG / 9.80665))
        total += len(up)
    motion = np.concatenate(pieces)[:n]
    return _worn_still(rng, n, rate) + motion


def _unworn(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    if kind == "stand_upright":
        tilt = np.deg2rad(rng.uniform(-10, 10, (2, 1)))
        g = _rotate_gravity(tilt[0], tilt[1])[0]
    else:
        sign = -1.0 if kind == "face_down" or (kind == "drawer" and rng.random() < 0.5) else 1.0
        tx, ty = np.deg2rad(rng.uniform(-2, 2, 2))
        g = np.array([G_MG * np.sin(tx), G_MG * np.sin(ty), sign * G_MG])
    out = np.tile(g, (n, 1))
    if kind == "desk_bumped":
        for i in rng.integers(0, n, max(1, n // (RATE_HZ * 20))):
            out[i] += rng.normal(0, 150, 3)  # a cup put down, a hand on the desk
    return out


def _sensor(rng: np.random.Generator, ideal: np.ndarray, offset: np.ndarray) -> np.ndarray:
    noisy = ideal + offset + rng.normal(0, NOISE_MG, ideal.shape)
    return np.asarray(np.clip(np.round(noisy), -4000, 4000).astype(np.int32))


def trace(segments: list[tuple[str, float]], seed: int, rate: int = RATE_HZ) -> Trace:
    """Concatenate (kind, seconds) segments; a handling gesture of 0.6 s (labelled with the
    segment it leads into) joins each pair, as when a badge is picked up and pinned on."""
    rng = np.random.default_rng(seed)
    offset = rng.uniform(-40, 40, 3)
    parts: list[np.ndarray] = []
    truth: list[np.ndarray] = []
    for i, (kind, seconds) in enumerate(segments):
        n = int(seconds * rate)
        if kind in WORN_KINDS:
            ideal = (
                _worn_still(rng, n, rate) if kind == "still" else _basic_motion(rng, kind, n, rate)
            )
        elif kind in UNWORN_KINDS:
            ideal = _unworn(rng, kind, n)
        else:
            raise ValueError(f"unknown trace segment kind {kind!r}")
        if i and parts:
            m = int(0.6 * rate)
            a, b = parts[-1][-1], ideal[0]
            ramp = np.linspace(0, 1, m)[:, None]
            gesture = a * (1 - ramp) + b * ramp + rng.normal(0, 200, (m, 3))
            parts.append(gesture)
            truth.append(np.full(m, kind in WORN_KINDS))
        parts.append(ideal)
        truth.append(np.full(n, kind in WORN_KINDS))
    ideal_all = np.concatenate(parts)
    return Trace(_sensor(rng, ideal_all, offset), np.concatenate(truth), rate)
