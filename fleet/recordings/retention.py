"""Recording retention: recordings past their time are deleted with their objects."""

from collections.abc import Callable
from datetime import datetime

from fleet.recordings.models import Recording
from fleet.recordings.objects import ObjectStore

_BATCH = 5000

Forget = Callable[[str, str], None]


def keep_all(_device_id: str, _rec_id: str) -> None:
    pass


async def expire_recordings(
    store: ObjectStore, older_than: datetime, forget: Forget = keep_all
) -> int:
    """Delete recordings created before ``older_than``: the object first, then the row;
    ``forget(device_id, rec_id)`` tells ingest the recording is gone."""
    n = 0
    for rec in await Recording.filter(created_at__lt=older_than).limit(_BATCH):
        await store.delete(rec.object_key)
        if rec.enhanced_key:
            await store.delete(rec.enhanced_key)
        await rec.delete()
        forget(rec.device_id, rec.rec_id)  # type: ignore[attr-defined]
        n += 1
    return n
