"""Simulated camera auto-exposure for evaluating the session detector (``kiosk eval
--perturb``): whole-frame gain steps and ramps, clipped as a sensor clips. Pure; numpy only."""

from collections.abc import Iterable, Iterator

import numpy as np

from edge_kiosk.hashes import Luma

PERTURBATIONS = ("none", "gain-steps", "gain-ramps")


def perturb(frames: Iterable[Luma], fps: float, kind: str, seed: int = 1) -> Iterator[Luma]:
    """Simulate a camera's auto-exposure on the whole frame: ``gain-steps`` jumps the gain
    to a new level (x0.6-1.5) every 3-8 s; ``gain-ramps`` glides to it over 2-4 s. Pixels
    clip at 0 and 255 as a sensor's do."""
    if kind not in PERTURBATIONS:
        raise ValueError(f"perturbation must be one of {', '.join(PERTURBATIONS)}, got {kind!r}")
    rng = np.random.default_rng(seed)
    gain, target, next_change, glide = 1.0, 1.0, 0.0, 0.0
    for i, frame in enumerate(frames):
        if kind == "none":
            yield frame
            continue
        t = i / fps
        if t >= next_change:
            target = float(rng.uniform(0.6, 1.5))
            next_change = t + float(rng.uniform(3.0, 8.0))
            glide = float(rng.uniform(2.0, 4.0)) if kind == "gain-ramps" else 0.0
            if not glide:
                gain = target
        if glide:
            gain += (target - gain) * min(1.0, 1.0 / (glide * fps))
        yield np.clip(frame * gain, 0, 255).astype(np.uint8)
