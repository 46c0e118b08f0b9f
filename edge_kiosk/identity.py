"""Installing a renewed identity on the kiosk (the `renew_cert` command): the new key and
certificate are written beside the old ones and swapped in, the certificate last, so a power
cut leaves either the old pair or the new one; :func:`finish` completes a cut-short install at
the next start (the badge does the same in firmware/crms/identity.py)."""

import os
from pathlib import Path


def _new(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(_new(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def install(cert: Path, key: Path, cert_pem: bytes, key_pem: bytes) -> None:
    """Replace the certificate and key files with these."""
    _write_new(key, key_pem)
    _write_new(cert, cert_pem)
    finish(cert, key)


def finish(cert: Path, key: Path) -> None:
    """Complete an interrupted install; drop one whose certificate was never written."""
    if _new(cert).exists():
        if _new(key).exists():
            os.replace(_new(key), key)
        os.replace(_new(cert), cert)
    elif _new(key).exists():
        _new(key).unlink()
