"""Typed keys for what the aiohttp application holds."""

from aiohttp import web

from fleet.ca import FleetCA
from fleet.ingest import Ingest
from fleet.mqtt_link import LinkState
from fleet.objects import ObjectStore
from fleet.settings import FleetSettings

SETTINGS = web.AppKey("settings", FleetSettings)
INGEST = web.AppKey("ingest", Ingest)
LINK = web.AppKey("link", LinkState)
OBJECTS = web.AppKey[ObjectStore]("objects")
CA = web.AppKey[FleetCA | None]("ca")
