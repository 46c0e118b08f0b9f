"""Customers' ratings under ``/api/v1/ratings``: the answers in scope, NPS / CSI / staff
ratings per station or region over time (with intervals, and stations with too few answers
flagged, not ranked), and the reasons behind low scores; each as JSON, CSV or XLSX."""

from datetime import timedelta
from typing import Any

from aiohttp import web

from fleet.office import export
from fleet.office.access import add_role_functions, add_section
from fleet.office.guard import scoped
from fleet.state import SETTINGS
from fleet.surveys import reports
from fleet.surveys.models import Rating
from fleet.webapi import (
    AFTER,
    LIMIT,
    SINCE,
    UNTIL,
    Access,
    Api,
    Param,
    conflict,
    newest_first,
    page,
    time_range,
)

add_section("surveys", ("view", "manage"))  # manage: scenarios (the kiosk screen's content)
add_role_functions("station_manager", "surveys", ("view",))
add_role_functions("regional_manager", "surveys", ("view",))
add_role_functions("auditor", "surveys", ("view",))

api = Api()
VIEW = Access("surveys", "view")
# a station a day for a whole network and a year is 365,000 rows: an export, not a report
MAX_DAILY_SPAN = timedelta(days=93)
STATION = Param("station", str, "Only this station", max_len=64)


def rating_view(r: Rating) -> dict[str, Any]:
    return {"id": r.id, "kiosk": r.device_id, "station": r.station_id, "seq": r.seq,
            "session": r.session, "scenario": r.scenario, "version": r.version, "lang": r.lang,
            "nps": r.nps, "cashier": r.cashier, "fuel_attendant": r.fuel_attendant,
            "shop": r.shop, "reasons": r.reasons, "comment": r.comment,
            "received_at": r.received_at.isoformat()}  # fmt: skip


@api.endpoint("GET", "/api/v1/ratings", "Customers' ratings in scope, newest first",
              (STATION, SINCE, UNTIL, LIMIT, AFTER), access=VIEW)  # fmt: skip
async def list_ratings(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Rating.all(), "surveys", "view")
    if p["station"]:
        qs = qs.filter(station_id=p["station"])
    rows, nxt = await newest_first(time_range(qs, p, "received_at"), p)
    return page([rating_view(r) for r in rows], nxt)


@api.endpoint("GET", "/api/v1/ratings/report",
              "NPS (with its 95% interval), CSI and staff ratings per station or region and "
              "period; groups with fewer answers than the fleet's minimum are flagged `few` and "
              "not ranked; the last 90 days unless since/until say",
              (Param("by", str, "Group by", default="station", choices=reports.BY),
               Param("period", str, "Per period", default="all", choices=reports.PERIODS),
               STATION, SINCE, UNTIL, export.FORMAT),
              access=VIEW, responses=export.FILE)  # fmt: skip
async def nps_report(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    f = await export.report_filter(request, p, "surveys")
    if p["period"] == "day" and f.until - f.since > MAX_DAILY_SPAN:
        raise conflict(f"a report per day covers at most {MAX_DAILY_SPAN.days} days; "
                       "ask per week or month for longer")  # fmt: skip
    least = request.app[SETTINGS].surveys.min_answers
    rows = await reports.nps(p["by"], p["period"], f, least)
    return await export.table(request, p["format"] or "json", f"nps-by-{p['by']}", rows)


@api.endpoint("GET", "/api/v1/ratings/reasons",
              "The reasons customers gave with a low score (an NPS below the fleet's "
              "threshold), most frequent first",
              (STATION, SINCE, UNTIL, export.FORMAT),
              access=VIEW, responses=export.FILE)  # fmt: skip
async def low_reasons(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    f = await export.report_filter(request, p, "surveys")
    rows = await reports.reasons(f, request.app[SETTINGS].surveys.nps_below)
    return await export.table(request, p["format"] or "json", "low-score-reasons", rows)
