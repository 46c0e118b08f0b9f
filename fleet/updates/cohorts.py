"""Which devices each wave of a rollout holds: devices ordered by a hash of their id, so a
percentage means the same devices on every evaluation (and a device added to the target later
falls where its hash puts it). Waves are cumulative: ``[{"pct": 5}, {"count": 50},
{"pct": 100}]`` is 5% of the target, then 50 devices, then all. Pure."""

import hashlib
import math
from collections.abc import Sequence


def rank(device_id: str) -> float:
    """The device's place in every rollout's order, in [0, 1)."""
    return int(hashlib.sha256(device_id.encode()).hexdigest()[:16], 16) / 2**64


def wave_sizes(waves: Sequence[dict[str, int]], n: int) -> list[int]:
    """How many of ``n`` devices each wave holds, cumulative and never shrinking."""
    sizes: list[int] = []
    for w in waves:
        size = math.ceil(w["pct"] * n / 100) if "pct" in w else min(w["count"], n)
        sizes.append(max(size, sizes[-1] if sizes else 0))
    return sizes


def ordered(device_ids: Sequence[str]) -> list[str]:
    """The devices in rollout order."""
    return sorted(device_ids, key=lambda d: (rank(d), d))
