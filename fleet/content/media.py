"""Checks on an uploaded ad file (JPG, PNG or MP4) and its thumbnail.

The type is what the bytes are, not what the name says. Images are opened with Pillow; an MP4's
codec, size and length come from its boxes (:mod:`fleet.content.mp4info`), and its thumbnail is
its first frame, decoded with OpenCV. A file the kiosk's Chromium could not show is refused here,
where the marketer can still do something about it, rather than found blank on a screen.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import cv2
from PIL import Image, UnidentifiedImageError

from fleet.content.mp4info import Mp4Error, read_mp4

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_VIDEO_BYTES = 300 * 1024 * 1024
MIN_SIDE = 240  # smaller than this looks broken on a 1280x800 screen
MAX_SIDE = 3840
MAX_SECONDS = 600.0
MIN_SECONDS = 1.0
# What Chromium plays in MP4 on a kiosk without proprietary hardware decoders: H.264, VP9, AV1.
PLAYABLE = {"avc1": "H.264", "avc3": "H.264", "vp09": "VP9", "av01": "AV1"}
KNOWN = {"hvc1": "HEVC", "hev1": "HEVC", "mp4v": "MPEG-4 Part 2", "mjpa": "Motion JPEG",
         "jpeg": "Motion JPEG", "s263": "H.263"}  # fmt: skip
THUMB_WIDTH = 320


class MediaRefused(ValueError):
    """The upload is not usable; the message says why and what to do."""


@dataclass(frozen=True)
class MediaInfo:
    type: str  # image/jpeg, image/png, video/mp4
    width: int
    height: int
    seconds: float | None = None  # a video's length
    codec: str = ""  # a video's sample entry code


def _sides(width: int, height: int) -> None:
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise MediaRefused(f"{width}x{height}: each side must be {MIN_SIDE}-{MAX_SIDE} pixels")


def _image(path: Path, size: int) -> MediaInfo:
    if size > MAX_IMAGE_BYTES:
        raise MediaRefused(f"an image is at most {MAX_IMAGE_BYTES // 2**20} MB, this is {size}")
    try:
        with Image.open(path) as im:
            fmt = im.format
            im.verify()  # a truncated or corrupt file fails here
        with Image.open(path) as im:
            im.load()
            width, height = im.size
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise MediaRefused(f"the image cannot be read: {exc}") from None
    if fmt not in ("JPEG", "PNG"):
        raise MediaRefused(f"{fmt} images are not shown; upload JPG or PNG")
    _sides(width, height)
    return MediaInfo("image/jpeg" if fmt == "JPEG" else "image/png", width, height)


def _video(path: Path, size: int) -> MediaInfo:
    if size > MAX_VIDEO_BYTES:
        raise MediaRefused(f"a video is at most {MAX_VIDEO_BYTES // 2**20} MB, this is {size}")
    try:
        with path.open("rb") as f:
            info = read_mp4(f, size)
    except Mp4Error as exc:
        raise MediaRefused(f"the MP4 cannot be read: {exc}") from None
    if info.codec not in PLAYABLE:
        name = KNOWN.get(info.codec, info.codec or "unknown")
        raise MediaRefused(
            f"video codec {name} ({info.codec}): the kiosk's Chromium cannot play it; "
            "encode it as H.264, VP9 or AV1 in MP4"
        )
    _sides(info.width, info.height)
    if not MIN_SECONDS <= info.seconds <= MAX_SECONDS:
        raise MediaRefused(
            f"the video is {info.seconds:.1f} s long; ads are {MIN_SECONDS:.0f}-{MAX_SECONDS:.0f} s"
        )
    return MediaInfo("video/mp4", info.width, info.height, round(info.seconds, 3), info.codec)


def inspect(path: Path) -> MediaInfo:
    """What the file at ``path`` is, or :class:`MediaRefused` naming the problem."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(12)
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n":
        return _image(path, size)
    if head[4:8] == b"ftyp":
        return _video(path, size)
    raise MediaRefused("not a JPG, PNG or MP4 file (judged by its first bytes, not its name)")


def thumbnail(path: Path, info: MediaInfo) -> bytes:
    """A JPEG, ``THUMB_WIDTH`` wide: the image itself, or a video's first frame."""
    if info.type == "video/mp4":
        cap = cv2.VideoCapture(str(path))
        try:
            ok, frame = cap.read()
        finally:
            cap.release()
        if not ok:
            raise MediaRefused("the video's first frame cannot be decoded")
        im = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    else:
        im = Image.open(path)
        im.load()
    im = im.convert("RGB")
    height = max(1, round(im.height * THUMB_WIDTH / im.width))
    im = im.resize((THUMB_WIDTH, height))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80)
    return out.getvalue()
