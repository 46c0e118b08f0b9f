"""Pinned MicroPython dependencies: verified by sha256, never used when they do not match."""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from crmsensor.errors import CrmsError
from devtools.fwtools.deps import Package, fetch


def _archive(tmp_path: Path) -> Path:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = b"print('hi')\n"
        info = tarfile.TarInfo("pkg-1.0/lib/mod.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    path = tmp_path / "pkg-1.0.tar.gz"
    path.write_bytes(buf.getvalue())
    return path


def test_fetch_verifies_and_unpacks(tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    pkg = Package("pkg", "1.0", archive.as_uri(), digest, {"pkg-1.0/lib/mod.py": "mod.py"})
    assert fetch(tmp_path / "lib", [pkg]) == ["pkg==1.0"]
    assert (tmp_path / "lib" / "mod.py").read_bytes() == b"print('hi')\n"
    assert fetch(tmp_path / "lib", [pkg]) == []  # up to date: nothing fetched again


def test_fetch_refuses_a_changed_archive(tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    pkg = Package("pkg", "1.0", archive.as_uri(), "0" * 64, {"pkg-1.0/lib/mod.py": "mod.py"})
    with pytest.raises(CrmsError, match="sha256"):
        fetch(tmp_path / "lib", [pkg])
    assert not (tmp_path / "lib" / "mod.py").exists()
