"""The web office's reviews section: the reviewer's queue and recent reviews (``/reviews``),
the review page of one service (its clip's waveform with the session's edges, the player,
time-stamped comments, the checklist, the reviews and their appeals:
``/reviews/services/{id}``), one review (``/reviews/{id}``) and the reports
(``/reviews/reports``). Actions go through the API (static/office.js)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from fleet.office.charts import line_svg
from fleet.office.guard import check_object, principal_of, scoped
from fleet.office.pages import page, render
from fleet.reviews import reports
from fleet.reviews.models import Appeal, ChecklistTemplate, Review, Service, ServiceClip
from fleet.reviews.routes import review_view, template_view
from fleet.reviews.service_routes import review_queue, service_view


def _not_found(request: web.Request, what: str) -> web.Response:
    return render(request, "error.html", "Not found", status=404, message=f"No {what}.")


def _row_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@page("/reviews", "reviews", "view")
async def reviews_page(request: web.Request) -> web.Response:
    """The reviewer's queue, recent reviews, and services that have no audio and why."""
    p = principal_of(request)
    queue = []
    if p.allows("reviews", "review"):
        queue = [service_view(s) for s in (await review_queue(request, 5, 4, None))[:50]]
    mine = await scoped(request, Review.all(), "reviews", "view")
    recent = await mine.order_by("-id").limit(50)
    silent = await (
        await scoped(request, Service.filter(clip_state__in=("waiting", "no_audio")),
                     "reviews", "view")
    ).order_by("-start").limit(50)  # fmt: skip
    return render(request, "reviews.html", "Reviews", queue=queue,
                  can_review=p.allows("reviews", "review"),
                  reviews=[review_view(r) for r in recent],
                  silent=[service_view(s) for s in silent])  # fmt: skip


async def _templates() -> list[dict[str, Any]]:
    """The newest version of each checklist template."""
    latest: dict[str, ChecklistTemplate] = {}
    for t in await ChecklistTemplate.all().order_by("family", "-version"):
        latest.setdefault(t.family, t)
    return [template_view(t) for t in latest.values()]


async def _review_detail(r: Review) -> dict[str, Any]:
    t = await ChecklistTemplate.get(id=r.template_id)  # type: ignore[attr-defined]
    out = review_view(r, await Appeal.filter(review_id=r.id).order_by("id"))
    out["template_detail"] = template_view(t)
    return out


async def _service_page(request: web.Request, s: Service, focus: int | None) -> web.Response:
    p = principal_of(request)
    clips = await ServiceClip.filter(service_id=s.id).order_by("device_id")
    wanted = _row_id(request.query.get("clip", ""))
    clip = next((c for c in clips if c.id == wanted), clips[0] if clips else None)
    reviews = [await _review_detail(r) for r in await Review.filter(service_id=s.id).order_by("id")]
    templates = await _templates()
    chosen = _row_id(request.query.get("template", ""))
    fallback = templates[0] if templates else None
    template = next((t for t in templates if t["id"] == chosen), fallback)
    return render(
        request, "review.html", f"Service {s.session} at {s.station_id}",
        s=service_view(s), clips=clips, clip=clip, reviews=reviews, focus=focus,
        templates=templates, checklist=template,
        can_review=p.allows("reviews", "review"), can_appeal=p.allows("reviews", "appeal"),
        can_resolve=p.allows("reviews", "resolve"),
    )  # fmt: skip


@page("/reviews/services/{service_id}", "reviews", "view")
async def service_page(request: web.Request) -> web.Response:
    """One service: its clip to listen to, the checklist to fill, its reviews and appeals."""
    sid = _row_id(request.match_info["service_id"])
    s = await Service.get_or_none(id=sid) if sid is not None else None
    if s is None:
        return _not_found(request, "such service")
    await check_object(request, "reviews", "view", s.station_id, f"service {sid}")
    return await _service_page(request, s, None)


@page("/reviews/reports", "reviews", "view")
async def reports_page(request: web.Request) -> web.Response:
    """MSI per station over time (charts), per region, the staff ranking, reviewers'
    throughput and the checklist items' pass rates; each table exportable."""
    until = datetime.now(UTC)
    f = reports.Filter(until - timedelta(days=90), until,
                       await principal_of(request).stations("reviews", "view"))  # fmt: skip
    weekly = await reports.msi("station", "week", f)
    charts: dict[str, list[tuple[datetime, float]]] = {}
    for row in weekly:
        if row["msi"] is not None:
            at = datetime.fromisoformat(row["period"]).replace(tzinfo=UTC)
            charts.setdefault(row["station"], []).append((at, row["msi"]))
    return render(
        request, "review_reports.html", "Review reports",
        charts={k: line_svg(v, "") for k, v in sorted(charts.items())},
        stations=await reports.msi("station", "all", f),
        regions=await reports.msi("region", "all", f),
        staff=await reports.msi("staff", "all", f),
        reviewers=await reports.msi("reviewer", "week", f),
        items=await reports.items("all", f),
    )  # fmt: skip


@page("/reviews/{review_id}", "reviews", "view")
async def review_page(request: web.Request) -> web.Response:
    """One review: on its service's page when it has one, else on its own."""
    rid = _row_id(request.match_info["review_id"])
    r = await Review.get_or_none(id=rid) if rid is not None else None
    if r is None:
        return _not_found(request, "such review")
    await check_object(request, "reviews", "view", r.station_id, f"review {rid}")
    s = await Service.get_or_none(id=r.service_id) if r.service_id else None  # type: ignore[attr-defined]
    if s is not None:
        return await _service_page(request, s, r.id)
    p = principal_of(request)
    return render(
        request, "review.html", f"Review {r.id} at {r.station_id}", s=None, clips=[], clip=None,
        reviews=[await _review_detail(r)], focus=r.id, templates=[], checklist=None,
        can_review=False, can_appeal=p.allows("reviews", "appeal"),
        can_resolve=p.allows("reviews", "resolve"),
    )  # fmt: skip
