"""Typed keys for what the aiohttp application holds."""

import asyncio

from aiohttp import web

from fleet.ingest import Ingest
from fleet.settings import FleetSettings

SETTINGS = web.AppKey("settings", FleetSettings)
INGEST = web.AppKey("ingest", Ingest)
MQTT_CONNECTED = web.AppKey("mqtt_connected", asyncio.Event)
