"""Ingest: the MQTT link (``mqtt_link.py``), validation and batched storage through a table of
handlers by message type (``pipeline.py``, ``batch.py``), the downlink queue, metrics."""
