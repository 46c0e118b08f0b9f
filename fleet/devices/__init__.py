"""Devices: the registry (``registry.py``), presence, commands, kiosk sessions relayed to
badges, what ingest stores of device messages (``ingest_handlers.py``), telemetry retention,
and the devices API (``routes.py``)."""
