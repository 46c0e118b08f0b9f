"""Recordings: resumable uploads (``uploads.py``, ``ingest_handler.py``), the object store
(local folder or S3), enhanced copies, retention, and the recordings API."""
