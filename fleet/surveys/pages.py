"""The web office's surveys and content sections:

- ``/surveys``: NPS per station week by week with its 95% interval (charts), the stations and
  regions ranked (those with too few answers flagged, not ranked), the reasons behind low
  scores, and the proof of play; each table exportable;
- ``/surveys/scenarios``: the scenarios, the builder (a new one, or the next version of one),
  each kiosk's plan and what the kiosk made of it, and a preview of what a kiosk shows at a
  given time;
- ``/content``: the ad library, with upload and delete.

Actions go through the API (static/office.js)."""

from datetime import UTC, datetime, timedelta

from aiohttp import web

from fleet.content.models import Content
from fleet.content.routes import content_view
from fleet.office.charts import band_svg
from fleet.office.guard import principal_of
from fleet.office.pages import page, render
from fleet.state import SETTINGS
from fleet.surveys import plans, reports
from fleet.surveys.models import Scenario, ScenarioVersion, Screen
from fleet.surveys.scenario_routes import scenario_view
from fleet.surveys.screen_routes import screen_view


@page("/surveys", "surveys", "view")
async def surveys_page(request: web.Request) -> web.Response:
    """NPS, CSI and staff ratings: trends with intervals, rankings, reasons, proof of play."""
    until = datetime.now(UTC)
    f = reports.Filter(until - timedelta(days=90), until,
                       await principal_of(request).stations("surveys", "view"))  # fmt: skip
    least = request.app[SETTINGS].surveys.min_answers
    weekly = await reports.nps("station", "week", f, least)
    series: dict[str, list[tuple[datetime, float, float, float]]] = {}
    for row in weekly:
        if row["nps"] is not None:
            at = datetime.fromisoformat(row["period"]).replace(tzinfo=UTC)
            series.setdefault(row["station"], []).append(
                (at, row["nps"], row["nps_low"], row["nps_high"])
            )
    stations = await reports.nps("station", "all", f, least)
    return render(
        request, "surveys.html", "Customer ratings",
        charts={k: band_svg(v, -100, 100) for k, v in sorted(series.items())},
        stations=sorted(stations, key=lambda r: (r["rank"] is None, r["rank"] or 0)),
        regions=await reports.nps("region", "all", f, least),
        reasons=await reports.reasons(f, request.app[SETTINGS].surveys.nps_below),
        least=least,
    )  # fmt: skip


@page("/surveys/scenarios", "surveys", "manage")
async def scenarios_page(request: web.Request) -> web.Response:
    """The scenarios, the builder, the kiosks' screens and the preview."""
    scenarios = await Scenario.all().order_by("archived_at", "-updated_at")
    current = {(v.scenario_id, v.version): v  # type: ignore[attr-defined]
               for v in await ScenarioVersion.all()}  # fmt: skip
    views = [scenario_view(s, current.get((s.id, s.version))) for s in scenarios]
    wanted = request.query.get("id", "")
    editing = next((v for v in views if v["id"] == wanted), None)
    library = [content_view(c) for c in
               await Content.filter(deleted_at__isnull=True).order_by("-created_at")]  # fmt: skip
    return render(
        request, "scenarios.html", "Kiosk screens",
        scenarios=views, editing=editing, library=library,
        screens=[screen_view(s) for s in await Screen.all().order_by("device_id")],
        kiosks=[k.id for k in await plans.kiosks()],
    )  # fmt: skip


@page("/content", "content", "view")
async def content_page(request: web.Request) -> web.Response:
    """The ad library: thumbnails, sizes, lengths; upload and delete for those who manage it."""
    rows = await Content.filter(deleted_at__isnull=True).order_by("-created_at")
    return render(request, "content.html", "Ad library", files=[content_view(c) for c in rows],
                  can_manage=principal_of(request).allows("content", "manage"))  # fmt: skip
