"""Services (kiosk sessions with their clips) under ``/api/v1/services``: the list with each
clip's state or the reason there is none, the reviewer's sampled queue, one service with its
clips' waveforms, and a clip's audio (listening is audited)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from fleet.office.guard import check_object, missing, scoped
from fleet.ranges import stream_audio
from fleet.reviews import sampling
from fleet.reviews.models import Review, Service, ServiceClip
from fleet.reviews.service_clips import clip_view
from fleet.state import OBJECTS
from fleet.webapi import (
    AFTER,
    LIMIT,
    ROW_ID,
    SINCE,
    UNTIL,
    Access,
    Api,
    Param,
    newest_first,
    not_found,
    page,
    time_range,
)

api = Api()
VIEW = Access("reviews", "view")
QUEUE = Access("reviews", "review")
LISTEN = Access("reviews", "view", audit="review.listen")
STATES = ("pending", "waiting", "ready", "no_audio")
SAMPLING_SALT = "reviews-v1"


def service_view(
    s: Service,
    clips: list[ServiceClip] | None = None,
    reviews: list[int] | None = None,
    waveform: bool = False,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id, "station": s.station_id, "kiosk": s.kiosk_id, "session": s.session,
        "roi": s.roi, "start": s.start.isoformat(), "end": s.end.isoformat(),
        "duration_s": s.duration_s, "clip_state": s.clip_state, "clip_reason": s.clip_reason,
    }  # fmt: skip
    if clips is not None:
        out["clips"] = [{**clip_view(c), **({"peaks": c.peaks} if waveform else {})} for c in clips]
    if reviews is not None:
        out["reviews"] = reviews
    return out


async def _with_clips(rows: list[Service]) -> list[dict[str, Any]]:
    ids = [s.id for s in rows]
    clips: dict[int, list[ServiceClip]] = {i: [] for i in ids}
    for c in await ServiceClip.filter(service_id__in=ids).order_by("device_id"):
        clips[c.service_id].append(c)  # type: ignore[attr-defined]
    reviewed: dict[int, list[int]] = {i: [] for i in ids}
    for rid, sid in await Review.filter(service_id__in=ids).values_list("id", "service_id"):
        reviewed[sid].append(rid)
    return [service_view(s, clips[s.id], reviewed[s.id]) for s in rows]


@api.endpoint("GET", "/api/v1/services",
              "Services (kiosk sessions) in scope, newest first, with their clips or the reason "
              "there is none",
              (Param("station", str, "Station id", max_len=64),
               Param("clip_state", str, "Only this clip state", choices=STATES),
               SINCE, UNTIL, LIMIT, AFTER), access=VIEW)  # fmt: skip
async def list_services(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Service.all(), "reviews", "view")
    if p["station"]:
        qs = qs.filter(station_id=p["station"])
    if p["clip_state"]:
        qs = qs.filter(clip_state=p["clip_state"])
    rows, nxt = await newest_first(time_range(qs, p, "start"), p)
    return page(await _with_clips(rows), nxt)


async def review_queue(request: web.Request, per_week: int, weeks: int,
                       station: str | None) -> list[Service]:  # fmt: skip
    """The services a reviewer should review next: per station and ISO week, ``per_week``
    of those with a clip, spread over shifts and staff (fleet/reviews/sampling.py), less the
    ones reviewed already; oldest first."""
    since = datetime.now(UTC) - timedelta(weeks=weeks)
    qs = await scoped(request, Service.filter(clip_state="ready", start__gte=since),
                      "reviews", "review")  # fmt: skip
    if station:
        qs = qs.filter(station_id=station)
    rows = await qs.order_by("start").limit(20_000)
    staff: dict[int, str] = {}
    for sid, who in await ServiceClip.filter(service_id__in=[s.id for s in rows]).values_list(
        "service_id", "staff"
    ):
        staff.setdefault(sid, who)
    by_id = {s.id: s for s in rows}
    candidates = [sampling.Service(str(s.id), s.station_id, s.start, staff.get(s.id, ""))
                  for s in rows]  # fmt: skip
    picks = sampling.sample(candidates, per_week, SAMPLING_SALT)
    done: set[int] = set(
        await Review.filter(service_id__in=[int(x.id) for x in picks]).values_list(  # type: ignore[arg-type]
            "service_id", flat=True
        )
    )
    return [by_id[int(x.id)] for x in picks if int(x.id) not in done]


@api.endpoint("GET", "/api/v1/services/queue",
              "The reviewer's queue: per station and week, a sample of the services with a clip "
              "spread over shifts and staff, less those reviewed",
              (Param("per_week", int, "Services to review per station and week", default=5,
                     lo=1, hi=500),
               Param("weeks", int, "How many weeks back", default=4, lo=1, hi=52),
               Param("station", str, "Station id", max_len=64), LIMIT),
              access=QUEUE)  # fmt: skip
async def queue(request: web.Request, p: dict[str, Any]) -> web.Response:
    rows = await review_queue(request, p["per_week"], p["weeks"], p["station"])
    return page(await _with_clips(rows[: p["limit"]]), None)


async def _service(request: web.Request) -> Service:
    raw = request.match_info["service_id"]
    s = await Service.get_or_none(id=int(raw))
    if s is None:
        raise await missing(request, "reviews", "view", f"service {raw!r}")
    await check_object(request, "reviews", "view", s.station_id, f"service {raw!r}")
    return s


@api.endpoint("GET", "/api/v1/services/{service_id}",
              "One service with its clips (and their waveforms) and its reviews",
              path_patterns={"service_id": ROW_ID}, access=VIEW)  # fmt: skip
async def get_service(request: web.Request, p: dict[str, Any]) -> web.Response:
    s = await _service(request)
    clips = await ServiceClip.filter(service_id=s.id).order_by("device_id")
    reviews = [r.id for r in await Review.filter(service_id=s.id).order_by("id").only("id")]
    return web.json_response(service_view(s, clips, reviews, waveform=True))


@api.endpoint("GET", "/api/v1/services/{service_id}/clips/{clip_id}/audio",
              "A service clip's WAV (16-bit PCM); honours a single HTTP Range. Listening is "
              "audited",
              path_patterns={"service_id": ROW_ID, "clip_id": ROW_ID}, access=LISTEN,
              responses={"206": {"description": "Partial content",
                                 "content": {"audio/wav": {"schema": {"type": "string"}}}},
                         "416": {"description": "Range not satisfiable"}},
              content_type="audio/wav")  # fmt: skip
async def clip_audio(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    s = await _service(request)
    raw = request.match_info["clip_id"]
    clip = await ServiceClip.get_or_none(id=int(raw), service_id=s.id)
    if clip is None:
        raise not_found(f"service {s.id} has no clip {raw} ({s.clip_reason or s.clip_state})")
    etag, what = f'"clip-{clip.id}"', f"clip {clip.id}"
    return await stream_audio(request, request.app[OBJECTS], clip.object_key, etag, what)
