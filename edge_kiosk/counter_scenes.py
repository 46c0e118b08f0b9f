"""Counter-like labelled sequences, built reproducibly from real photos.

vtest.avi is pedestrians crossing a square; a cash desk is different: one customer covering
much of the region of interest (ROI) for minutes, staff moving behind the counter, the camera's
auto-exposure stepping and gliding, mains flicker, headlights sweeping through the window and
a door's reflection. :func:`render` builds such a sequence from photos of Debian's opencv-doc
(``scripts/fetch-opencv-samples``): ``box_in_scene.png`` (goods on a counter) is the desk, a
crop of ``messi5.jpg`` (a person) the customer, a crop of ``fruits.jpg`` the staff member.
Everything follows from ``seed``, and the labels are exact: a session lasts while the
customer covers at least 30% of their own width inside the ROI (the vtest labels' rule).

``crmsensor kiosk make-sequence`` writes a sequence as an MJPG AVI (so compression artefacts
are in it too) and its labels CSV in the format of ../shared/data/kiosk/.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from edge_kiosk.sources import Frame

WIDTH, HEIGHT = 640, 480
ROI = (128, 96, 512, 384)  # the customer side of the desk: the agent's default ROI
PHOTOS = ("box_in_scene.png", "messi5.jpg", "fruits.jpg")


@dataclass(frozen=True)
class Visit:
    """A customer: arrives over ``walk_s`` from ``start_s``, is served, leaves over ``walk_s``."""

    start_s: float
    stay_s: float
    walk_s: float
    side: int  # -1 from the left, 1 from the right


@dataclass(frozen=True)
class CounterScene:
    """A sequence: ``seconds`` at ``fps``; ``customers`` False gives empty footage."""

    seconds: float = 600.0
    fps: float = 5.0
    seed: int = 1
    customers: bool = True
    noise: float = 2.0
    stay_s: tuple[float, float] = (20.0, 240.0)  # shortest and longest service
    visits: tuple[Visit, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        if not 1.0 <= self.seconds <= 24 * 3600 or not 1.0 <= self.fps <= 60.0:
            raise ValueError("a sequence is 1 s-24 h long at 1-60 fps")
        if not 1.0 <= self.stay_s[0] <= self.stay_s[1]:
            raise ValueError(f"stay_s must be (shortest, longest) >= 1 s, got {self.stay_s}")
        rng = np.random.default_rng(self.seed)
        visits = []
        t = float(rng.uniform(3, 15))
        while self.customers and t < self.seconds - self.stay_s[0]:
            lo, hi = self.stay_s
            stay = float(rng.choice([rng.uniform(lo, lo + (hi - lo) / 4), rng.uniform(lo, hi)]))
            walk = float(rng.uniform(0.8, 1.6))
            if t + stay + 2 * walk > self.seconds:
                break
            visits.append(Visit(t, stay, walk, int(rng.choice([-1, 1]))))
            # the next customer: sometimes queued right behind, sometimes much later
            t += stay + 2 * walk + float(rng.choice([rng.uniform(2.5, 6), rng.uniform(10, 90)]))
        object.__setattr__(self, "visits", tuple(visits))


def _photo(folder: Path, name: str) -> npt.NDArray[np.float64]:
    path = folder / name
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise FileNotFoundError(f"no photo {path}: run scripts/fetch-opencv-samples")
    return np.asarray(image, dtype=np.float64)


def _customer_x(v: Visit, t: float, width: int) -> float | None:
    """The customer's left edge at ``t``, or None when out of view."""
    x0, x1 = ROI[0], ROI[2]
    served_x = (x0 + x1) / 2 - width / 2
    away_x = -width - 10 if v.side < 0 else WIDTH + 10
    if t < v.start_s or t > v.start_s + v.stay_s + 2 * v.walk_s:
        return None
    if t < v.start_s + v.walk_s:
        a = (t - v.start_s) / v.walk_s
        return away_x + (served_x - away_x) * a
    if t < v.start_s + v.walk_s + v.stay_s:
        return served_x + 4 * float(np.sin(0.7 * t))  # shifting from foot to foot
    a = (t - v.start_s - v.walk_s - v.stay_s) / v.walk_s
    return served_x + (away_x - served_x) * a


def _inside_share(x: float, width: int) -> float:
    """Share of the customer's width inside the ROI (they fill its height)."""
    lo, hi = max(x, ROI[0]), min(x + width, ROI[2])
    return max(0.0, hi - lo) / width


def labels(scene: CounterScene, customer_width: int = 240) -> list[tuple[int, int]]:
    """The sessions as (start_frame, end_frame), end exclusive."""
    out = []
    n = int(scene.seconds * scene.fps)
    for v in scene.visits:
        inside = [
            i
            for i in range(
                int(v.start_s * scene.fps),
                min(n, int((v.start_s + v.stay_s + 2 * v.walk_s) * scene.fps) + 2),
            )
            if (x := _customer_x(v, i / scene.fps, customer_width)) is not None
            and _inside_share(x, customer_width) >= 0.3
        ]
        if inside:
            out.append((inside[0], inside[-1] + 1))
    return out


def render(scene: CounterScene, photos: Path) -> Iterator[Frame]:
    """The sequence's frames (luma, 640x480)."""
    desk = _photo(photos, "box_in_scene.png")
    room = cv2.resize(desk, (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)
    photo = _photo(photos, "messi5.jpg")[40:335, 150:400]  # a person
    person = np.asarray(
        cv2.resize(photo, (240, ROI[3] - ROI[1] + 60), interpolation=cv2.INTER_AREA), np.float64
    )
    staff = cv2.resize(_photo(photos, "fruits.jpg")[100:400, 100:300], (90, 80))
    rng = np.random.default_rng(scene.seed + 1000)
    gain, target, glide = 1.0, 1.0, 0.0
    next_exposure = float(rng.uniform(10, 40))
    next_lights = float(rng.uniform(15, 45))
    lights_until = -1.0
    door_at = float(rng.uniform(20, 60))
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    for i in range(int(scene.seconds * scene.fps)):
        t = i / scene.fps
        img = room.copy()
        # staff walking to and fro behind the counter, above the ROI
        sx = int((WIDTH - 90) * (0.5 + 0.5 * np.sin(2 * np.pi * t / 23.0)))
        img[4:84, sx : sx + 90] = staff
        for v in scene.visits:
            x = _customer_x(v, t, person.shape[1])
            if x is None:
                continue
            left, top = round(x), ROI[1] - 30
            a, b = max(left, 0), min(left + person.shape[1], WIDTH)
            if a < b:
                img[top : top + person.shape[0], a:b] = person[:, a - left : b - left]
        # headlights through the window: a bright blob sweeping across in 2 s
        if t >= next_lights:
            lights_until, next_lights = t + 2.0, t + float(rng.uniform(25, 70))
        if t < lights_until:
            cx = WIDTH * (1 - (lights_until - t) / 2.0)
            img += 90 * np.exp(-(((xx - cx) / 120) ** 2 + ((yy - 200) / 160) ** 2))
        # a glass door swinging: its reflection lights a band for 3 s
        if door_at <= t < door_at + 3.0:
            img[:, 520:600] += 50
        elif t >= door_at + 3.0:
            door_at = t + float(rng.uniform(30, 90))
        # auto-exposure: steps and glides of the whole frame's gain
        if t >= next_exposure:
            target = float(rng.uniform(0.7, 1.35))
            glide = float(rng.choice([0.0, rng.uniform(1.5, 4.0)]))
            if not glide:
                gain = target
            next_exposure = t + float(rng.uniform(10, 40))
        if glide:
            gain += (target - gain) * min(1.0, 1.0 / (glide * scene.fps))
        flicker = 1.0 + 0.03 * np.sin(2 * np.pi * 0.7 * t)
        img = img * gain * flicker + rng.normal(0, scene.noise, img.shape)
        yield np.clip(img, 0, 255).astype(np.uint8)


def write(scene: CounterScene, photos: Path, out: Path, name: str) -> tuple[Path, Path]:
    """Write ``<name>.avi`` (MJPG) and ``<name>.csv`` (labels) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    video, table = out / f"{name}.avi", out / f"{name}.csv"
    fourcc = cv2.VideoWriter.fourcc(*"MJPG")
    writer = cv2.VideoWriter(str(video), fourcc, scene.fps, (WIDTH, HEIGHT), isColor=False)
    if not writer.isOpened():
        raise OSError(f"cannot write {video}")
    try:
        for frame in render(scene, photos):
            writer.write(frame)
    finally:
        writer.release()
    with open(table, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["roi", "x0", "y0", "x1", "y1", "start_frame", "end_frame"])
        for start, end in labels(scene):
            w.writerow(["desk", *ROI, start, end])
        if not scene.visits:
            w.writerow(["desk", *ROI, "", ""])  # the ROI, with no sessions
    return video, table
