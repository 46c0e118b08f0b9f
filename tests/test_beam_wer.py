"""``crmsensor beam wer`` and the method names shared with ``beam eval``."""

import json
import subprocess
import sys
from pathlib import Path

SCENES = Path(__file__).parent.parent / "beamforming" / "scenes"
BIN = str(Path(sys.executable).parent / "crmsensor")


def test_wer_decodes_the_wearer_and_noise_costs_words() -> None:
    proc = subprocess.run(
        [BIN, "beam", "wer", str(SCENES / "station_reference.toml"), "--seeds", "1", "--jobs", "1",
         "--method", "clean", "--method", "single", "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["protocol"] == {"input_snr_db": 5.0, "seeds": [1], "customer": False}
    rows = doc["scenes"]["station_reference"]
    assert rows["clean"]["words"] == rows["single"]["words"] == 71  # the five transcripts
    assert len(rows["single"]["per_seed"]) == 1
    assert rows["clean"]["wer"] < 0.5
    assert rows["single"]["wer"] > rows["clean"]["wer"] + 0.3  # +5 dB of station noise


def test_unknown_methods_are_named_by_eval_and_wer() -> None:
    for cmd in ("eval", "wer"):
        proc = subprocess.run(
            [BIN, "beam", cmd, str(SCENES / "station_reference.toml"), "--method", "badge",
             "--method", "bogus"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 2
        assert "unknown method bogus" in proc.stderr
        assert "badge+postfilter" in proc.stderr  # the known ones are listed
