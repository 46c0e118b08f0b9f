"""Frame sources: where the agent's camera frames come from.

Every source yields luma frames (``uint8`` arrays of shape ``(height, width)``): the Y plane a
camera delivers, or BGR converted with BT.601 weights (OpenCV's ``COLOR_BGR2GRAY``, the same
weights as Pillow's ``convert("L")``). Sources:

- :class:`CameraSource`: a V4L2/USB camera through OpenCV; a camera that fails or disappears
  raises :class:`CameraError` (the agent counts it, waits and opens it again);
- :class:`VideoFileSource`: a video file, at its own rate (``fps`` overrides a container's
  wrong one), accelerated by ``speed``, or as fast as it decodes (``realtime=False``);
- :class:`ImageFolderSource`: the images of a folder in name order; an unreadable image is
  skipped and counted, never fatal;
- :class:`SyntheticSource`: a static scene with sensor noise, the stand-in for a camera in the
  demo and in tests.
"""

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from crmsensor.errors import UserError

Frame = npt.NDArray[np.uint8]
log = logging.getLogger("edge_kiosk.sources")

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm", ".tif", ".tiff")


class CameraError(UserError, RuntimeError):
    """The camera cannot be opened or stopped delivering frames."""


class FrameSource(Protocol):
    """A stream of luma frames."""

    def frames(self) -> Iterator[Frame]:
        """Yield frames until the source ends (a camera never ends)."""
        ...


def to_luma(image: npt.NDArray[Any]) -> Frame:
    """A decoded image (gray, BGR or BGRA) as luma."""
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    if image.ndim == 3 and image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY))
    raise ValueError(f"cannot take luma from an image of shape {image.shape}")


class VideoFileSource:
    """A video file's frames, paced at ``fps`` x ``speed`` when ``realtime``."""

    def __init__(
        self, path: Path, fps: float | None = None, speed: float = 1.0, realtime: bool = True
    ) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"no video file {path}")
        if speed <= 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self.path, self.speed, self.realtime = path, speed, realtime
        self._fps = fps

    @property
    def fps(self) -> float:
        """The rate frames stand for: the override, else the container's."""
        if self._fps:
            return self._fps
        cap = cv2.VideoCapture(str(self.path))
        try:
            rate = float(cap.get(cv2.CAP_PROP_FPS))
        finally:
            cap.release()
        return rate if rate > 0 else 25.0

    def frames(self) -> Iterator[Frame]:
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            raise ValueError(f"{self.path}: not a video OpenCV can decode")
        period = 1.0 / (self.fps * self.speed)
        due = time.monotonic()
        try:
            while True:
                ok, image = cap.read()
                if not ok:
                    return
                if self.realtime:
                    due += period
                    time.sleep(max(0.0, due - time.monotonic()))
                yield to_luma(image)
        finally:
            cap.release()


class ImageFolderSource:
    """The images of a folder in name order; unreadable ones are skipped and counted."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"no image folder {folder}")
        self.folder = folder
        self.skipped = 0

    def frames(self) -> Iterator[Frame]:
        for path in sorted(self.folder.iterdir()):
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
            if image is None or image.dtype != np.uint8:
                self.skipped += 1
                log.warning("skipped %s: not an 8-bit image OpenCV can read", path.name)
                continue
            yield to_luma(image)


class CameraSource:
    """A V4L2/USB camera (``/dev/videoN`` or its index) through OpenCV."""

    def __init__(self, device: str, width: int = 640, height: int = 480, fps: float = 10.0):
        self.device, self.width, self.height, self.fps = device, width, height, fps

    def frames(self) -> Iterator[Frame]:
        target: int | str = int(self.device) if self.device.isdigit() else self.device
        cap = cv2.VideoCapture(target, cv2.CAP_V4L2)
        if not cap.isOpened():
            raise CameraError(f"camera {self.device} cannot be opened")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        try:
            while True:
                ok, image = cap.read()
                if not ok:
                    raise CameraError(f"camera {self.device} stopped delivering frames")
                yield to_luma(image)
        finally:
            cap.release()


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
