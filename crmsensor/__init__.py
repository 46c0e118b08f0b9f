"""Shared CPython pieces of the CRMsensor toolkit: errors, paths and the MQTT contract."""

__version__ = "0.1.0"
