"""Retention, every capability's share of it in one periodic job: telemetry folded and
expired (``fleet/devices/retention.py``), recordings expired with their objects
(``fleet/recordings/retention.py``), and the services' clips cut from them
(``fleet/reviews/service_clips.py``)."""

import logging
from datetime import datetime, timedelta

from fleet.devices.retention import downsample, expire_hourly
from fleet.recordings.objects import ObjectStore
from fleet.recordings.retention import Forget, expire_recordings, keep_all
from fleet.reviews import service_clips

log = logging.getLogger("fleet.retention")


async def apply(
    store: ObjectStore,
    now: datetime,
    raw_days: float,
    hourly_days: float,
    recording_days: float,
    forget: Forget = keep_all,
) -> dict[str, int]:
    """Run every retention step; return what each did."""
    done = {
        "telemetry_folded": await downsample(now - timedelta(days=raw_days)),
        "hourly_expired": await expire_hourly(now - timedelta(days=hourly_days)),
        "recordings_expired": await expire_recordings(
            store, now - timedelta(days=recording_days), forget
        ),
        "clips_expired": await service_clips.expire(store, now - timedelta(days=recording_days)),
    }
    if any(done.values()):
        log.info("retention: %s", done)
    return done
