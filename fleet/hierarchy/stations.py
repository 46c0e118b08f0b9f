"""Stations and where they sit: organisation -> region -> station."""

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crmsensor.errors import ConfigError, Conflict, Missing
from fleet.hierarchy.models import Organisation, Region, Station

STATION_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_HOURS = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class StationSpec:
    """A station and where it sits in the hierarchy."""

    id: str
    name: str = ""
    region: str = ""
    organisation: str = ""
    timezone: str = "UTC"
    opening_hours: str = ""

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the bad field."""
        if not STATION_ID.fullmatch(self.id):
            raise ConfigError(f"station id must be 1-64 of a-z 0-9 . _ -, got {self.id!r}")
        if self.opening_hours and not _HOURS.fullmatch(self.opening_hours):
            raise ConfigError(f"opening_hours must be HH:MM-HH:MM, got {self.opening_hours!r}")
        if self.region and not self.organisation:
            raise ConfigError("a station's region needs its organisation")


async def upsert_station(spec: StationSpec) -> Station:
    """Add a station (and its organisation and region when named), or update it."""
    spec.check()
    region = None
    if spec.organisation:
        org, _ = await Organisation.get_or_create(name=spec.organisation)
        if spec.region:
            region, _ = await Region.get_or_create(organisation=org, name=spec.region)
    defaults: dict[str, Any] = {
        "name": spec.name,
        "timezone": spec.timezone,
        "opening_hours": spec.opening_hours,
    }
    if region is not None:
        defaults["region"] = region
    station, _ = await Station.update_or_create(id=spec.id, defaults=defaults)
    return station


async def ensure_station(station_id: str) -> Station:
    """The station with this id, created bare (no region, always open) when missing."""
    station, _ = await Station.get_or_create(id=station_id)
    return station


async def stations_under(kind: str, ident: str) -> set[str]:
    """The ids of the stations inside one organisation, region or station (``kind``); an
    unknown id is an empty set."""
    if kind == "station":
        return {ident} if await Station.exists(id=ident) else set()
    if not ident.isdigit():
        return set()
    if kind == "region":
        rows = await Station.filter(region_id=int(ident)).values_list("id", flat=True)
    elif kind == "organisation":
        rows = await Station.filter(region__organisation_id=int(ident)).values_list("id", flat=True)
    else:
        raise ValueError(f"unknown scope kind {kind!r}")
    return {str(r) for r in rows}


async def organisation_of_region(region_id: int) -> int | None:
    """The organisation a region belongs to (None: no such region)."""
    rows: list[Any] = await Region.filter(id=region_id).values_list("organisation_id", flat=True)
    return int(rows[0]) if rows else None


async def create_organisation(name: str) -> Organisation:
    """A new organisation; :class:`ConfigError` when the name is taken."""
    if await Organisation.exists(name=name):
        raise Conflict(f"an organisation called {name!r} exists already")
    return await Organisation.create(name=name)


async def rename_organisation(org: Organisation, name: str) -> None:
    """Rename an organisation; :class:`ConfigError` when the name is taken."""
    if name != org.name and await Organisation.exists(name=name):
        raise Conflict(f"an organisation called {name!r} exists already")
    org.name = name
    await org.save(update_fields=["name"])


def region_view(r: Region) -> dict[str, Any]:
    """The JSON shape of a region."""
    return {"id": r.id, "name": r.name, "organisation_id": r.organisation_id}  # type: ignore[attr-defined]


async def save_region(region: Region | None, name: str, organisation_id: int) -> Region:
    """Create a region (``region`` None) or rename or move one; :class:`ConfigError` for an
    unknown organisation or a name its organisation already has."""
    if not await Organisation.exists(id=organisation_id):
        raise Missing(f"no organisation {organisation_id}")
    clash = Region.filter(organisation_id=organisation_id, name=name)
    if region is not None:
        clash = clash.exclude(id=region.id)
    if await clash.exists():
        raise Conflict(f"organisation {organisation_id} has a region called {name!r} already")
    if region is None:
        return await Region.create(organisation_id=organisation_id, name=name)
    region.name = name
    region.organisation_id = organisation_id
    await region.save(update_fields=["name", "organisation_id"])
    return region


async def save_station(
    station_id: str, name: str, region_id: int | None, timezone: str, opening_hours: str
) -> Station:
    """Create or change a station; :class:`ConfigError` names a bad field."""
    StationSpec(station_id, opening_hours=opening_hours).check()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {timezone!r}") from None
    if region_id is not None and not await Region.exists(id=region_id):
        raise Missing(f"no region {region_id}")
    station, _ = await Station.update_or_create(
        id=station_id,
        defaults={
            "name": name,
            "region_id": region_id,
            "timezone": timezone,
            "opening_hours": opening_hours,
        },
    )
    return station


async def tree(visible: frozenset[str] | None) -> dict[str, Any]:
    """Organisations with their regions and station ids; only the stations in ``visible``
    (None: all) and the organisations and regions that hold them."""
    rows = await Station.all().values_list("id", "region_id")
    by_region: dict[int | None, list[str]] = {}
    for sid, rid in rows:
        if visible is None or str(sid) in visible:
            by_region.setdefault(rid, []).append(str(sid))
    out = []
    for o in await Organisation.all().order_by("name").prefetch_related("regions"):
        regions = [
            {"id": r.id, "region": r.name, "stations": sorted(by_region.get(r.id, []))}
            for r in sorted(o.regions, key=lambda r: r.name)
            if visible is None or by_region.get(r.id)
        ]
        if visible is None or regions:
            out.append({"id": o.id, "organisation": o.name, "regions": regions})
    return {"organisations": out, "unassigned": sorted(by_region.get(None, []))}


async def station_names(station_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Each station's name and its region's name ('' where there is none)."""
    rows = await Station.filter(id__in=station_ids).values_list("id", "name", "region__name")
    return {str(i): (str(n or ""), str(r or "")) for i, n, r in rows}
