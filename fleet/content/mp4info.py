"""What an MP4 file holds, read from its boxes (ISO/IEC 14496-12) without decoding it: the
video track's codec (the sample entry's four-character code), its size and the length.

Only the box headers and a few fields are read, so a 200 MB upload is checked in
milliseconds. Pure apart from reading the file object it is given.
"""

import struct
from dataclasses import dataclass
from typing import BinaryIO

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}


class Mp4Error(ValueError):
    """The file is not an MP4 this reader understands; the message says why."""


@dataclass(frozen=True)
class Mp4Info:
    brand: str  # ftyp's major brand
    codec: str  # the video sample entry's code: avc1, vp09, av01, hvc1, mp4v, ...
    width: int
    height: int
    seconds: float
    has_audio: bool


def _boxes(f: BinaryIO, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes between ``start`` and ``end``."""
    out = []
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        head = f.read(8)
        if len(head) < 8:
            raise Mp4Error(f"truncated box header at byte {pos}")
        size, kind = struct.unpack(">I4s", head)
        body = pos + 8
        if size == 1:
            big = f.read(8)
            if len(big) < 8:
                raise Mp4Error(f"truncated box size at byte {pos}")
            size = struct.unpack(">Q", big)[0]
            body = pos + 16
        elif size == 0:
            size = end - pos  # to the end of the enclosing box (or file)
        if size < body - pos or pos + size > end:
            raise Mp4Error(f"box {kind!r} at byte {pos} claims {size} bytes past its container")
        out.append((kind, body, pos + size))
        pos += size
    return out


def _read(f: BinaryIO, at: int, n: int) -> bytes:
    f.seek(at)
    data = f.read(n)
    if len(data) < n:
        raise Mp4Error(f"truncated box at byte {at}")
    return data


def _duration(f: BinaryIO, start: int) -> float:
    """mvhd / mdhd: timescale and duration, version 0 or 1."""
    version = _read(f, start, 1)[0]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", _read(f, start + 20, 12))
    else:
        timescale, duration = struct.unpack(">II", _read(f, start + 12, 8))
    return duration / timescale if timescale else 0.0


def _track(f: BinaryIO, start: int, end: int) -> tuple[str, str, int, int, float]:
    """(handler, codec, width, height, seconds) of one trak."""
    handler = codec = ""
    width = height = 0
    seconds = 0.0

    def walk(a: int, b: int) -> None:
        nonlocal handler, codec, width, height, seconds
        for kind, s, e in _boxes(f, a, b):
            if kind in CONTAINERS:
                walk(s, e)
            elif kind == b"mdhd":
                seconds = _duration(f, s)
            elif kind == b"hdlr":
                handler = _read(f, s + 8, 4).decode("latin-1")
            elif kind == b"stsd":
                entries = _boxes(f, s + 8, e)  # version, flags, entry count, then entries
                if entries:
                    codec = entries[0][0].decode("latin-1")
                    if entries[0][2] - entries[0][1] >= 28:  # a visual sample entry
                        width, height = struct.unpack(">HH", _read(f, entries[0][1] + 24, 4))

    walk(start, end)
    return handler, codec, width, height, seconds


def read_mp4(f: BinaryIO, size: int) -> Mp4Info:
    """The file's video track and length; :class:`Mp4Error` when it is not an MP4 with one."""
    top = _boxes(f, 0, size)
    if not top or top[0][0] != b"ftyp":
        raise Mp4Error("not an MP4 file (it does not start with an ftyp box)")
    brand = _read(f, top[0][1], 4).decode("latin-1")
    moov = [(s, e) for kind, s, e in top if kind == b"moov"]
    if not moov:
        raise Mp4Error("no moov box: the file is incomplete or still being written")
    seconds = 0.0
    video: tuple[str, int, int, float] | None = None
    audio = False
    for kind, s, e in _boxes(f, *moov[0]):
        if kind == b"mvhd":
            seconds = _duration(f, s)
        elif kind == b"trak":
            handler, codec, w, h, secs = _track(f, s, e)
            if handler == "vide" and video is None:
                video = (codec, w, h, secs)
            audio = audio or handler == "soun"
    if video is None:
        raise Mp4Error("no video track")
    codec, w, h, secs = video
    return Mp4Info(brand, codec, w, h, seconds or secs, audio)
