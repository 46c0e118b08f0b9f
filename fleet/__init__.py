"""The fleet manager: registry, MQTT ingest, device state and the operator web app."""
