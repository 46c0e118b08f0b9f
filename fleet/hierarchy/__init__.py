"""The organisation -> region -> station hierarchy: stations (``stations.py``) and their API."""
