"""The badge's recording store under the MicroPython unix port: index entries whose sha256
and sizes match the files, eviction of acknowledged recordings only, power-cut recovery."""

import hashlib
import json
import wave
from pathlib import Path

HERE = Path(__file__).parent


def test_store_keeps_unacknowledged_recordings_and_recovers(micropython, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_store.py", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok eviction" in proc.stdout and "ok store" in proc.stdout
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    *entries, summary = lines
    assert len(entries) == 3 and summary["pending"] == 3 and summary["acked"] == 0
    for e in entries:
        data = (tmp_path / "sd" / f"{e['id']}.wav").read_bytes()
        assert e["size"] == len(data) and e["sha256"] == hashlib.sha256(data).hexdigest()
        if e["codec"] == "pcm16":  # repaired headers make a WAV any reader takes
            with wave.open(str(tmp_path / "sd" / f"{e['id']}.wav")) as w:
                assert w.getnframes() * 1000 // 16000 == e["duration_ms"]
        assert int.from_bytes(data[4:8], "little") + 8 <= len(data) + 1
