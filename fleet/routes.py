"""Every capability's routes in one application, and the OpenAPI document that describes them."""

from importlib import resources
from typing import Any

from aiohttp import web

from fleet.alerts import routes as alerts
from fleet.content import routes as content
from fleet.devices import routes as devices
from fleet.hierarchy import routes as hierarchy
from fleet.ingest import routes as ingest
from fleet.notify import routes as notify
from fleet.office import pages, stream
from fleet.office import routes as office
from fleet.recordings import routes as recordings
from fleet.reviews import pages as review_pages  # noqa: F401  (registers its pages)
from fleet.reviews import report_routes as review_reports
from fleet.reviews import routes as reviews
from fleet.reviews import service_routes as services
from fleet.surveys import pages as survey_pages  # noqa: F401  (registers its pages)
from fleet.surveys import routes as surveys
from fleet.surveys import scenario_routes as scenarios
from fleet.surveys import screen_routes as screens
from fleet.updates import pages as update_pages  # noqa: F401  (registers its pages)
from fleet.updates import rollout_routes as rollouts
from fleet.updates import routes as updates
from fleet.webapi import PUBLIC, Api, openapi_document

api = Api()
APIS = [
    ingest.api,
    devices.api,
    hierarchy.api,
    recordings.api,
    alerts.api,
    office.api,
    stream.api,
    notify.api,
    updates.api,
    rollouts.api,
    reviews.api,
    review_reports.api,
    services.api,
    surveys.api,
    scenarios.api,
    screens.api,
    content.api,
    api,
]


@api.endpoint("GET", "/api/v1/openapi.json", "This document", access=PUBLIC)
async def openapi(request: web.Request, p: dict[str, Any]) -> web.Response:
    from crmsensor import __version__

    return web.json_response(openapi_document(APIS, "CRMsensor fleet manager", __version__))


def add_routes(app: web.Application) -> None:
    """Add every capability's routes and pages to ``app``."""
    for a in APIS:
        app.add_routes(a.routes)
    app.add_routes(pages.routes)
    # The office's own CSS and script (and vendored front-end libraries, if any): no CDN.
    app.router.add_static("/static", str(resources.files("fleet.office") / "static"))
