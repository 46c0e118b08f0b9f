"""Frame sources: where the agent's camera frames come from.

Every source yields luma frames (``uint8`` arrays of shape ``(height, width)``). The camera
and video-file sources arrive with the kiosk issue; the synthetic source stands in for a
camera in the demo and in tests.
"""

from collections.abc import Iterator
from typing import Protocol

import numpy as np
import numpy.typing as npt

Frame = npt.NDArray[np.uint8]


class FrameSource(Protocol):
    """A stream of luma frames."""

    def frames(self) -> Iterator[Frame]:
        """Yield frames until the source ends (a camera never ends)."""
        ...


class SyntheticSource:
    """A static scene with sensor noise, at whatever rate it is read."""

    def __init__(self, height: int = 240, width: int = 320, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self._scene = rng.integers(40, 200, size=(height, width), dtype=np.uint8)
        self._rng = rng

    def frames(self) -> Iterator[Frame]:
        """Yield the scene with fresh noise forever."""
        while True:
            noise = self._rng.integers(-3, 4, size=self._scene.shape)
            yield np.clip(self._scene.astype(np.int16) + noise, 0, 255).astype(np.uint8)
