"""Typed keys for what the aiohttp application holds: each capability's long-lived state is
its own key, so a capability reaches another's state by name, never through a hub."""

import asyncio

from aiohttp import web

from fleet.devices.presence import Presence
from fleet.identity.ca import FleetCA
from fleet.ingest.downlink import Downlink
from fleet.ingest.mqtt_link import LinkState
from fleet.ingest.pipeline import Ingest
from fleet.leases.leader import Leader
from fleet.office.live import LiveHub
from fleet.recordings.objects import ObjectStore
from fleet.recordings.uploads import Uploads
from fleet.settings import FleetSettings


class Address:
    """Where this instance listens, once it does (``url``: ``http(s)://host:port``)."""

    url: str = ""


SETTINGS = web.AppKey("settings", FleetSettings)
ADDRESS = web.AppKey("address", Address)  # set when the HTTP site is bound
INGEST = web.AppKey("ingest", Ingest)
LINK = web.AppKey("link", LinkState)
DOWNLINK = web.AppKey("downlink", Downlink)  # acks and commands for the MQTT link to publish
PRESENCE = web.AppKey("presence", Presence)
UPLOADS = web.AppKey("uploads", Uploads)
OBJECTS = web.AppKey[ObjectStore]("objects")
CA = web.AppKey[FleetCA | None]("ca")
LIVE = web.AppKey("live", LiveHub)
# set to run the rollout scheduler now (a rollout created or resumed, an update's progress)
# whether this instance runs the singleton jobs (fleet/leases/leader.py)
LEADER = web.AppKey("leader", Leader)
ROLLOUT_KICK = web.AppKey("rollout_kick", asyncio.Event)  # changes for the web office's live views
