"""Recordings' bytes in an S3-compatible object store (AWS S3, MinIO, Ceph, ...), via aiobotocore.

An object is written with one ``PutObject`` when it fits in a part, else as a multipart upload
(parts of ``part_size`` bytes, aborted on any error), so like the local store it exists whole
or not at all. Reads are ranged ``GetObject`` requests streamed in pieces. Credentials come
from the settings or, when those are empty, botocore's usual chain (``AWS_ACCESS_KEY_ID``,
``~/.aws/credentials``, instance roles).
"""

import contextlib
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from crmsensor.errors import ConfigError
from fleet.recordings.objects import check_key
from fleet.settings import MIN_S3_PART, S3Settings

_READ = 64 * 1024


def _missing(exc: ClientError) -> bool:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


class S3ObjectStore:
    """Objects under ``prefix`` in ``bucket``. Call :meth:`open` before use, :meth:`close` after."""

    def __init__(self, settings: S3Settings) -> None:
        if not settings.bucket:
            raise ValueError("S3ObjectStore needs a bucket")
        if settings.part_size < MIN_S3_PART:
            raise ValueError(f"s3 part_size must be at least {MIN_S3_PART} bytes (S3's minimum)")
        self.settings = settings
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None

    async def open(self) -> None:
        """Connect, and check the bucket is there and ours to use."""
        s = self.settings
        credentials = {}
        if s.access_key_id:
            credentials = {
                "aws_access_key_id": s.access_key_id,
                "aws_secret_access_key": s.secret_access_key,
            }
        config = AioConfig(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=10)
        self._client = await self._stack.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=s.endpoint_url or None,
                region_name=s.region,
                config=config,
                **credentials,
            )
        )
        try:
            await self._check_bucket()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        await self._stack.aclose()
        self._client = None

    async def _check_bucket(self) -> None:
        """Raise a clear error when the bucket is missing or not ours to use."""
        try:
            await self._client.head_bucket(Bucket=self.settings.bucket)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "?")
            raise ConfigError(
                f"S3 bucket {self.settings.bucket!r} at "
                f"{self.settings.endpoint_url or 'AWS'} is not usable (error {code})"
            ) from None
        except BotoCoreError as exc:
            raise ConfigError(
                f"cannot reach S3 for bucket {self.settings.bucket!r}: {exc}"
            ) from None

    def _key(self, key: str) -> str:
        return self.settings.prefix + check_key(key)

    async def put(self, key: str, parts: AsyncIterable[bytes]) -> int:
        name = self._key(key)
        bucket = self.settings.bucket
        part_size = self.settings.part_size
        buffer = bytearray()
        size = 0
        upload_id: str | None = None
        sent: list[dict[str, Any]] = []

        async def send_part(body: bytes) -> None:
            number = len(sent) + 1
            reply = await self._client.upload_part(
                Bucket=bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=body
            )
            sent.append({"PartNumber": number, "ETag": reply["ETag"]})

        try:
            async for part in parts:
                buffer += part
                size += len(part)
                while len(buffer) >= part_size:
                    if upload_id is None:
                        created = await self._client.create_multipart_upload(
                            Bucket=bucket, Key=name
                        )
                        upload_id = created["UploadId"]
                    await send_part(bytes(buffer[:part_size]))
                    del buffer[:part_size]
            if upload_id is None:  # small enough for one request
                await self._client.put_object(Bucket=bucket, Key=name, Body=bytes(buffer))
                return size
            if buffer:
                await send_part(bytes(buffer))
            await self._client.complete_multipart_upload(
                Bucket=bucket, Key=name, UploadId=upload_id, MultipartUpload={"Parts": sent}
            )
            upload_id = None
            return size
        finally:
            if upload_id is not None:  # failed part-way: leave no half object or stray parts
                with contextlib.suppress(Exception):
                    await self._client.abort_multipart_upload(
                        Bucket=bucket, Key=name, UploadId=upload_id
                    )

    async def size(self, key: str) -> int | None:
        try:
            head = await self._client.head_object(Bucket=self.settings.bucket, Key=self._key(key))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return int(head["ContentLength"])

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        if end is not None and end <= start:
            return
        ranged = {}
        if start or end is not None:  # a range on an empty object would be refused (416)
            ranged["Range"] = f"bytes={start}-" + ("" if end is None else str(end - 1))
        try:
            got = await self._client.get_object(
                Bucket=self.settings.bucket, Key=self._key(key), **ranged
            )
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(key) from None
            raise
        body = got["Body"]  # a StreamingBody (its context gives the raw response before 3.0)
        async with body:
            async for data in body.iter_chunks(_READ):
                yield data

    async def delete(self, key: str) -> None:
        await self._client.delete_object(Bucket=self.settings.bucket, Key=self._key(key))
