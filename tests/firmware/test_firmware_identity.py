"""The badge installs a renewed certificate and key so that a power cut at any step leaves a
matching pair (run under the MicroPython unix port)."""

from pathlib import Path

HERE = Path(__file__).parent


def test_renewed_identity_is_swapped_in_whole(micropython, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_identity.py", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " [" in line)
    assert lines["installed"] == "['cert2', 'key2', None, None]"
    assert lines["dropped"] == "['cert2', 'key2', None, None]"
    assert lines["finished"] == "['cert4', 'key4', None, None]"
    assert lines["recovered"] == "['cert5', 'key5', None, None]"
