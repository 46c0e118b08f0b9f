"""Reports on reviews under ``/api/v1/reviews``: the MSI per station, region, staff member or
reviewer over time, checklist items' pass rates, and every review as a table; each as JSON,
CSV or XLSX (fleet/office/export.py)."""

from collections.abc import AsyncIterator, Sequence
from typing import Any

from aiohttp import web

from fleet.office import export
from fleet.office.guard import scoped
from fleet.reviews import reports
from fleet.reviews.models import Review
from fleet.webapi import SINCE, UNTIL, Access, Api, Param

api = Api()
VIEW = Access("reviews", "view")
EXPORT = Access("reviews", "view", audit="review.export")
STATION = Param("station", str, "Only this station", max_len=64)
_BATCH = 5000


@api.endpoint("GET", "/api/v1/reviews/report",
              "MSI per station, region, staff member (a ranking with period=all) or reviewer "
              "(throughput) and period, with reviews, appeals, critical failures and the "
              "kiosk's average service time; the last 90 days unless since/until say",
              (Param("by", str, "Group by", default="station", choices=reports.BY),
               Param("period", str, "Per period", default="week", choices=reports.PERIODS),
               STATION, SINCE, UNTIL, export.FORMAT),
              access=VIEW, responses=export.FILE)  # fmt: skip
async def msi_report(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    f = await export.report_filter(request, p, "reviews")
    rows = await reports.msi(p["by"], p["period"], f)
    return await export.table(request, p["format"] or "json", f"msi-by-{p['by']}", rows)


@api.endpoint("GET", "/api/v1/reviews/items",
              "Each checklist item's answers and pass rate, over all or per station or region",
              (Param("by", str, "Group by", default="all", choices=reports.ITEMS_BY),
               STATION, SINCE, UNTIL, export.FORMAT),
              access=VIEW, responses=export.FILE)  # fmt: skip
async def item_report(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    rows = await reports.items(p["by"], await export.report_filter(request, p, "reviews"))
    return await export.table(request, p["format"] or "json", "checklist-items", rows)


COLUMNS = ("id", "created_at", "station", "service", "kiosk_session", "device", "staff",
           "reviewer", "template", "msi", "state", "failed_critical", "comments")  # fmt: skip


@api.endpoint("GET", "/api/v1/reviews/export",
              "Every review in scope and period as a CSV or XLSX file (streamed; any number of "
              "rows as CSV). Exports are audited",
              (STATION, SINCE, UNTIL,
               Param("format", str, "csv or xlsx", default="csv", choices=export.FORMATS)),
              access=EXPORT, responses=export.FILE)  # fmt: skip
async def export_reviews(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    f = await export.report_filter(request, p, "reviews")
    qs = await scoped(request, Review.filter(created_at__gte=f.since, created_at__lt=f.until),
                      "reviews", "view")  # fmt: skip
    if f.station:
        qs = qs.filter(station_id=f.station)
    count = await qs.count()

    async def batches() -> AsyncIterator[list[Sequence[Any]]]:
        last = 0
        while True:
            rows = await qs.filter(id__gt=last).order_by("id").limit(_BATCH)
            if not rows:
                return
            last = rows[-1].id
            yield [
                (r.id, r.created_at, r.station_id, r.service_id, r.kiosk_session,
                 r.device_id, r.staff, r.reviewer, r.template_id, r.msi, r.state,
                 ",".join(r.failed_critical), len(r.comments))
                for r in rows
            ]  # fmt: skip

    return await export.send(request, "reviews", p["format"], COLUMNS, batches(), count)
