"""Where recordings' bytes live: an object store behind one small interface.

:class:`LocalObjectStore` (a folder, the default) writes each object to a temporary file,
fsyncs it, renames it into place and fsyncs the folder, so an object either exists whole or
not at all, even across a crash. :class:`fleet.objects_s3.S3ObjectStore` is the same interface
over an S3-compatible service.
"""

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Protocol

from crmsensor.durable import fsync_dir

_KEY = re.compile(r"[a-z0-9][a-z0-9._/-]{0,199}")
_READ = 64 * 1024
_WRITE = 1024 * 1024


class ObjectStore(Protocol):
    """Objects by key: written whole, read by byte range, deleted."""

    async def open(self) -> None:
        """Connect (before the first use)."""
        ...

    async def close(self) -> None:
        """Release connections (after the last use)."""
        ...

    async def put(self, key: str, parts: AsyncIterable[bytes]) -> int:
        """Store the concatenated ``parts`` under ``key`` (replacing it); return its size."""
        ...

    async def size(self, key: str) -> int | None:
        """The object's size, or None when there is no such object."""
        ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Yield bytes ``[start, end)`` of the object (to its end when ``end`` is None)."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; no error when it is already gone."""
        ...


def check_key(key: str) -> str:
    """Object keys: ``a-z 0-9 . _ - /``, no ``..``; raise ValueError otherwise."""
    if not _KEY.fullmatch(key) or ".." in key or "//" in key:
        raise ValueError(f"bad object key {key!r}")
    return key


class LocalObjectStore:
    """Objects as files under ``root`` (created when missing)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, parts: AsyncIterable[bytes]) -> int:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        size = 0
        f = await asyncio.to_thread(open, tmp, "wb")
        pending = bytearray()  # parts are small (chunks); write them in larger pieces
        try:
            async for part in parts:
                pending += part
                size += len(part)
                if len(pending) >= _WRITE:
                    await asyncio.to_thread(f.write, pending)
                    pending = bytearray()
            await asyncio.to_thread(f.write, pending)
            await asyncio.to_thread(f.flush)
            await asyncio.to_thread(os.fsync, f.fileno())
        except BaseException:
            f.close()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        f.close()
        await asyncio.to_thread(os.replace, tmp, path)
        await asyncio.to_thread(fsync_dir, path.parent)
        return size

    async def size(self, key: str) -> int | None:
        try:
            return (await asyncio.to_thread(self._path(key).stat)).st_size
        except FileNotFoundError:
            return None

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        f = await asyncio.to_thread(open, self._path(key), "rb")
        try:
            await asyncio.to_thread(f.seek, start)
            left = None if end is None else max(0, end - start)
            while left is None or left > 0:
                want = _READ if left is None else min(_READ, left)
                data = await asyncio.to_thread(f.read, want)
                if not data:
                    break
                if left is not None:
                    left -= len(data)
                yield data
        finally:
            f.close()

    async def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(self._path(key).unlink)
