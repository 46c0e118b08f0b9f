"""Checklists, reviews and appeals under ``/api/v1``: versioned checklist templates, a
reviewer's filled checklist with its MSI and time-stamped comments, a station's appeal and
its resolution (every step kept)."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field, StringConstraints
from tortoise.exceptions import IntegrityError

from fleet.notify.outbox import Message, queue
from fleet.office.access import add_role_functions, add_section
from fleet.office.guard import check_object, missing, principal_of, scoped
from fleet.reviews.checklists import ChecklistError, Template, check_template, score
from fleet.reviews.models import Appeal, ChecklistTemplate, Review, Service, ServiceClip
from fleet.state import SETTINGS
from fleet.webapi import (
    AFTER,
    LIMIT,
    REFERS,
    ROW_ID,
    STATION_ID,
    Access,
    Api,
    Body,
    Param,
    conflict,
    int_in,
    newest_first,
    not_found,
    page,
)

# manage: checklist templates; resolve: decide appeals
add_section("reviews", ("view", "review", "appeal", "resolve", "manage"))
add_role_functions("reviewer", "reviews", ("view", "review"))
add_role_functions("station_manager", "reviews", ("view", "appeal"))
add_role_functions("regional_manager", "reviews", ("view", "appeal", "resolve"))
add_role_functions("auditor", "reviews", ("view",))

api = Api()
VIEW = Access("reviews", "view")
MANAGE = Access("reviews", "manage", audit="checklist.change")
REVIEW = Access("reviews", "review", audit="review.create")
APPEAL = Access("reviews", "appeal", audit="review.appeal")
RESOLVE = Access("reviews", "resolve", audit="review.resolve")
REFUSED = {"409": {"description": "Refused: the JSON `error` names the item or state at fault"}}
Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class ItemBody(Body):
    key: Key
    text: Text
    kind: Literal["check", "text"] = "check"
    weight: Annotated[float, Field(gt=0, le=100)] = 1.0
    critical: bool = False


class TemplateBody(Body):
    """A checklist template; posting one for an existing ``family`` makes its next version."""

    family: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    service_type: Literal["cashier", "fuel_attendant", "shop"]
    critical_cap: Annotated[float, Field(ge=0, le=100)] = 0.0
    items: Annotated[list[ItemBody], Field(min_length=1, max_length=200)]


def template_view(t: ChecklistTemplate) -> dict[str, Any]:
    return {"id": t.id, "family": t.family, "version": t.version, "name": t.name,
            "service_type": t.service_type, "critical_cap": t.doc.get("critical_cap", 0.0),
            "items": t.doc["items"], "created_by": t.created_by,
            "created_at": t.created_at.isoformat()}  # fmt: skip


@api.endpoint("GET", "/api/v1/checklists", "Checklist templates, newest version first",
              (Param("family", str, "Only this template's versions", max_len=40), LIMIT, AFTER),
              access=VIEW)  # fmt: skip
async def list_templates(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = ChecklistTemplate.all()
    if p["family"]:
        qs = qs.filter(family=p["family"])
    rows, nxt = await newest_first(qs, p)
    return page([template_view(t) for t in rows], nxt)


@api.endpoint("POST", "/api/v1/checklists",
              "Add a checklist template, or the next version of one (filled checklists keep "
              "theirs)",
              access=MANAGE, body=TemplateBody, status=201, responses=REFUSED)  # fmt: skip
async def create_template(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: TemplateBody = p["body"]
    doc = body.model_dump(exclude={"family"})
    try:
        check_template(doc)
    except ChecklistError as exc:
        raise conflict(str(exc)) from None
    latest = await ChecklistTemplate.filter(family=body.family).order_by("-version").first()
    version = latest.version + 1 if latest is not None else 1
    try:
        t = await ChecklistTemplate.create(
            family=body.family, version=version, name=body.name, service_type=body.service_type,
            doc=doc, created_by=principal_of(request).name,
        )  # fmt: skip
    except IntegrityError:  # another edit took this version number first
        raise conflict(f"{body.family} was edited meanwhile: send it again") from None
    return web.json_response(template_view(t), status=201)


class Comment(Body):
    t_s: Annotated[float, Field(ge=0, le=86400)]  # seconds into the clip
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ReviewBody(Body):
    """A filled checklist for one service: ``service`` names it (its kiosk session, its clip's
    badge and wearer come with it), or a review entered without one names the station."""

    template: int_in(1, 2**53)  # type: ignore[valid-type]
    station: Annotated[str, StringConstraints(pattern=STATION_ID)]
    service: int_in(1, 2**53) | None = None  # type: ignore[valid-type]
    kiosk_session: Annotated[str, StringConstraints(max_length=40)] = ""
    device: Annotated[str, StringConstraints(pattern=r"^([a-z0-9][a-z0-9_-]{1,31})?$")] = ""
    staff: Annotated[str, StringConstraints(max_length=64)] = ""
    # item key -> yes / no / na, or a text; unknown keys are refused by name (409)
    answers: Annotated[dict[str, Annotated[str, StringConstraints(max_length=4000)]],
                       Field(max_length=200)]  # fmt: skip
    comments: Annotated[list[Comment], Field(max_length=100)] = []


def review_view(r: Review, appeals: list[Appeal] | None = None) -> dict[str, Any]:
    out = {"id": r.id, "template": r.template_id, "station": r.station_id,  # type: ignore[attr-defined]
           "service": r.service_id,  # type: ignore[attr-defined]
           "kiosk_session": r.kiosk_session, "device": r.device_id, "staff": r.staff,
           "answers": r.answers, "comments": r.comments, "msi": r.msi,
           "failed_critical": r.failed_critical, "state": r.state, "reviewer": r.reviewer,
           "final": r.state == "final", "created_at": r.created_at.isoformat()}  # fmt: skip
    if appeals is not None:
        out["appeals"] = [
            {"id": a.id, "by": a.by, "comment": a.comment, "state": a.state,
             "resolver": a.resolver, "resolution": a.resolution, "before": a.before,
             "created_at": a.created_at.isoformat(),
             "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None}
            for a in appeals
        ]  # fmt: skip
    return out


def _template_of(t: ChecklistTemplate) -> Template:
    return check_template(t.doc)


@api.endpoint("POST", "/api/v1/reviews",
              "Review a service: the filled checklist, scored (MSI), with time-stamped comments",
              access=REVIEW, body=ReviewBody, status=201,
              responses={**REFERS, **REFUSED})  # fmt: skip
async def create_review(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: ReviewBody = p["body"]
    await check_object(request, "reviews", "review", body.station, f"station {body.station!r}")
    t = await ChecklistTemplate.get_or_none(id=body.template)
    if t is None:
        raise not_found(f"no checklist template {body.template}")
    try:
        s = score(_template_of(t), body.answers)
    except ChecklistError as exc:
        raise conflict(str(exc)) from None
    who = principal_of(request).name
    session, device, staff = body.kiosk_session, body.device, body.staff
    if body.service is not None:
        service = await Service.get_or_none(id=body.service)
        if service is None:
            raise not_found(f"no service {body.service}")
        if service.station_id != body.station:
            raise conflict(f"service {service.id} is at station {service.station_id!r}")
        clips = await ServiceClip.filter(service_id=service.id).order_by("device_id")
        clip = next((c for c in clips if c.device_id == device), clips[0] if clips else None)
        session = service.session
        device, staff = (clip.device_id, staff or clip.staff) if clip else (device, staff)
    r = await Review.create(
        template_id=t.id, station_id=body.station, service_id=body.service,
        kiosk_session=session, device_id=device, staff=staff, answers=body.answers,
        comments=[{**c.model_dump(), "by": who} for c in body.comments], msi=s.msi,
        failed_critical=list(s.failed_critical), reviewer=who,
    )  # fmt: skip
    await notify_review(r, t, request.app[SETTINGS].reviews.notify_below)
    return web.json_response(review_view(r, []), status=201)


async def notify_review(r: Review, t: ChecklistTemplate, below: float) -> bool:
    """Tell the station's subscribers (the station manager) about a review under ``below``
    or with a critical item failed; return whether it was queued."""
    low = r.msi is not None and r.msi < below
    if not (low or r.failed_critical):
        return False
    why = f"critical failed: {', '.join(r.failed_critical)}" if r.failed_critical else "low MSI"
    await queue(
        Message(
            topic="review", object_id=str(r.id),
            severity="critical" if r.failed_critical else "warning", station_id=r.station_id,
            subject=f"Review {r.id} at {r.station_id}: MSI {r.msi} ({why})",
            body=f"{t.name} v{t.version}, reviewed by {r.reviewer}: MSI {r.msi}; {why}. "
                 f"Open /reviews/{r.id} in the web office.",
            section="reviews",
        ),
        datetime.now(UTC),
    )  # fmt: skip
    return True


@api.endpoint("GET", "/api/v1/reviews", "Reviews in scope, newest first",
              (Param("station", str, "Station id", max_len=64),
               Param("state", str, "Only this state", choices=("final", "under_appeal")),
               LIMIT, AFTER), access=VIEW)  # fmt: skip
async def list_reviews(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Review.all(), "reviews", "view")
    if p["station"]:
        qs = qs.filter(station_id=p["station"])
    if p["state"]:
        qs = qs.filter(state=p["state"])
    rows, nxt = await newest_first(qs, p)
    return page([review_view(r) for r in rows], nxt)


async def _review(request: web.Request, function: str) -> Review:
    raw = request.match_info["review_id"]
    r = await Review.get_or_none(id=int(raw))
    if r is None:
        raise await missing(request, "reviews", function, f"review {raw!r}")
    await check_object(request, "reviews", function, r.station_id, f"review {raw!r}")
    return r


@api.endpoint("GET", "/api/v1/reviews/{review_id}", "One review with its appeals",
              path_patterns={"review_id": ROW_ID}, access=VIEW)  # fmt: skip
async def get_review(request: web.Request, p: dict[str, Any]) -> web.Response:
    r = await _review(request, "view")
    appeals = await Appeal.filter(review_id=r.id).order_by("id")
    return web.json_response(review_view(r, appeals))


class AppealBody(Body):
    comment: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


@api.endpoint("POST", "/api/v1/reviews/{review_id}/appeal",
              "Appeal a review (the MSI shows it is under appeal until it is resolved)",
              path_patterns={"review_id": ROW_ID}, access=APPEAL, body=AppealBody, status=201,
              responses=REFUSED)  # fmt: skip
async def appeal_review(request: web.Request, p: dict[str, Any]) -> web.Response:
    r = await _review(request, "appeal")
    if r.state == "under_appeal":
        raise conflict("this review is under appeal already")
    await Appeal.create(review_id=r.id, by=principal_of(request).name, comment=p["body"].comment)
    r.state = "under_appeal"
    await r.save(update_fields=["state", "updated_at"])
    appeals = await Appeal.filter(review_id=r.id).order_by("id")
    return web.json_response(review_view(r, appeals), status=201)


class Decision(Body):
    decision: Literal["uphold", "change"]
    comment: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    answers: Annotated[dict[str, Annotated[str, StringConstraints(max_length=4000)]],
                       Field(max_length=200)] | None = None  # fmt: skip


@api.endpoint("POST", "/api/v1/reviews/{review_id}/resolve",
              "Resolve the open appeal: uphold the review, or change its answers (re-scored)",
              path_patterns={"review_id": ROW_ID}, access=RESOLVE, body=Decision,
              responses=REFUSED)  # fmt: skip
async def resolve_appeal(request: web.Request, p: dict[str, Any]) -> web.Response:
    r = await _review(request, "resolve")
    body: Decision = p["body"]
    appeal = await Appeal.filter(review_id=r.id, state="open").order_by("-id").first()
    if appeal is None:
        raise conflict("this review has no open appeal")
    if body.decision == "change":
        if body.answers is None:
            raise conflict("a change gives the new answers")
        t = await ChecklistTemplate.get(id=r.template_id)  # type: ignore[attr-defined]
        try:
            s = score(_template_of(t), body.answers)
        except ChecklistError as exc:
            raise conflict(str(exc)) from None
        appeal.before = {"answers": r.answers, "msi": r.msi}
        r.answers, r.msi, r.failed_critical = body.answers, s.msi, list(s.failed_critical)
    appeal.state = "upheld" if body.decision == "uphold" else "changed"
    appeal.resolver, appeal.resolution = principal_of(request).name, body.comment
    appeal.resolved_at = datetime.now(UTC)
    await appeal.save()
    r.state = "final"
    await r.save()
    appeals = await Appeal.filter(review_id=r.id).order_by("id")
    return web.json_response(review_view(r, appeals))
