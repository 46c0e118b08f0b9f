"""Alerts: health rules over each device's state (``rules.py``), alerts opened and closed in
the database (``store.py``), and their API (``routes.py``)."""
