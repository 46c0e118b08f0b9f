"""The organisation -> region -> station hierarchy under ``/api/v1``: read it (only the part in
the caller's scope), create, rename and move its parts."""

from typing import Annotated, Any

from aiohttp import web
from pydantic import StringConstraints

from crmsensor.errors import ConfigError
from fleet.devices.registry import device_counts
from fleet.hierarchy import stations
from fleet.hierarchy.models import Organisation, Region, Station
from fleet.office.guard import check_object, forbidden, missing, principal_of, scoped
from fleet.webapi import (
    CONFLICT,
    LIMIT,
    REFERS,
    SMALL_ID,
    STATION_ID,
    Access,
    Api,
    Body,
    Param,
    TimeZone,
    config_error,
    cursor,
    int_in,
    page,
)

api = Api()
VIEW = Access("hierarchy", "view")
MANAGE = Access("hierarchy", "manage")

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
Hours = Annotated[
    str, StringConstraints(pattern=r"^(([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)?$")
]


class OrganisationBody(Body):
    """An organisation (a chain of stations) to create or rename."""

    name: Name


class RegionBody(Body):
    """A region to create, or a region's new name or organisation."""

    name: Name
    organisation_id: int_in(1, 2**31 - 1)  # type: ignore[valid-type]


class StationBody(Body):
    """A station to create or change (the path names it): its name, region, time zone and
    opening hours."""

    name: Annotated[str, StringConstraints(max_length=100)] = ""
    region_id: int_in(1, 2**31 - 1) | None = None  # type: ignore[valid-type]
    timezone: TimeZone = "UTC"
    opening_hours: Hours = ""


def _station(s: Station, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "region_id": s.region_id,  # type: ignore[attr-defined]
        "timezone": s.timezone,
        "opening_hours": s.opening_hours,
        "devices": counts.get(s.id, 0),
    }


@api.endpoint(
    "GET",
    "/api/v1/stations",
    "Stations in the caller's scope, with their device counts",
    (Param("region", str, "Region name", max_len=100), LIMIT, cursor(STATION_ID, 64)),
    access=VIEW,
)
async def list_stations(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, Station.all(), "hierarchy", "view", "id")
    if p["region"]:
        qs = qs.filter(region__name=p["region"])
    if p["after"]:
        qs = qs.filter(id__gt=p["after"])
    rows = await qs.order_by("id").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    counts = await device_counts([s.id for s in rows])
    return page([_station(s, counts) for s in rows], rows[-1].id if more else None)


@api.endpoint(
    "GET",
    "/api/v1/hierarchy",
    "Organisations, their regions and station ids (the part in the caller's scope)",
    access=VIEW,
)
async def hierarchy(request: web.Request, p: dict[str, Any]) -> web.Response:
    visible = await principal_of(request).stations("hierarchy", "view")
    return web.json_response(await stations.tree(visible))


async def _require_all(request: web.Request, what: str) -> None:
    # Organisations and regions span stations: only a grant over everything manages them.
    if not principal_of(request).everywhere("hierarchy", "manage"):
        raise forbidden(f"no access to {what}")


@api.endpoint(
    "POST",
    "/api/v1/organisations",
    "Create an organisation",
    access=MANAGE,
    responses=CONFLICT,
    body=OrganisationBody,
    status=201,
)
async def create_organisation(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _require_all(request, "organisations")
    try:
        org = await stations.create_organisation(p["body"].name)
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response({"id": org.id, "name": org.name}, status=201)


async def _by_int_id(request: web.Request, model: Any, key: str, what: str) -> Any:
    raw = request.match_info[key]
    row = await model.get_or_none(id=int(raw))  # the path's pattern makes it a small integer
    if row is None:
        raise await missing(request, "hierarchy", "manage", f"{what} {raw!r}")
    return row


@api.endpoint(
    "PUT",
    "/api/v1/organisations/{organisation_id}",
    "Rename an organisation",
    access=MANAGE,
    responses=CONFLICT,
    path_patterns={"organisation_id": SMALL_ID},
    body=OrganisationBody,
)
async def rename_organisation(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _require_all(request, "organisations")
    org = await _by_int_id(request, Organisation, "organisation_id", "organisation")
    try:
        await stations.rename_organisation(org, p["body"].name)
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response({"id": org.id, "name": org.name})


@api.endpoint(
    "POST",
    "/api/v1/regions",
    "Create a region",
    access=MANAGE,
    body=RegionBody,
    status=201,
    responses={**CONFLICT, **REFERS},
)
async def create_region(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _require_all(request, "regions")
    body: RegionBody = p["body"]
    try:
        region = await stations.save_region(None, body.name, body.organisation_id)
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response(stations.region_view(region), status=201)


@api.endpoint(
    "PUT",
    "/api/v1/regions/{region_id}",
    "Rename a region or move it to another organisation",
    access=MANAGE,
    responses=CONFLICT,
    path_patterns={"region_id": SMALL_ID},
    body=RegionBody,
)
async def update_region(request: web.Request, p: dict[str, Any]) -> web.Response:
    await _require_all(request, "regions")
    region = await _by_int_id(request, Region, "region_id", "region")
    body: RegionBody = p["body"]
    try:
        region = await stations.save_region(region, body.name, body.organisation_id)
    except ConfigError as exc:
        raise config_error(exc) from None
    return web.json_response(stations.region_view(region))


@api.endpoint(
    "PUT",
    "/api/v1/stations/{station_id}",
    "Create or change a station (name, region, time zone, opening hours); moving it needs "
    "both its old and its new place in the caller's scope",
    access=MANAGE,
    body=StationBody,
    path_patterns={"station_id": STATION_ID},
)
async def put_station(request: web.Request, p: dict[str, Any]) -> web.Response:
    body: StationBody = p["body"]
    station_id = request.match_info["station_id"]
    existing = await Station.get_or_none(id=station_id)
    if existing is not None:
        await check_object(request, "hierarchy", "manage", existing.id, f"station {station_id!r}")
    principal = principal_of(request)
    if body.region_id is not None and not await principal.can_region(
        "hierarchy", "manage", body.region_id
    ):
        raise (await missing(request, "hierarchy", "manage", f"region {body.region_id}"))
    if existing is None and body.region_id is None:
        await _require_all(request, "stations outside a region")
    try:
        station = await stations.save_station(
            station_id, body.name, body.region_id, body.timezone, body.opening_hours
        )
    except ConfigError as exc:
        raise config_error(exc) from None
    counts = await device_counts([station.id])
    return web.json_response(_station(station, counts))
