"""The kiosk's edge agent: camera frames in, service sessions and device reports out."""

__version__ = "0.1.0"
