"""The badge's side of the contract, run under the MicroPython unix port (not CPython)."""

import json
from pathlib import Path

import pytest

from tests.conftest import VECTORS, load_vectors

HERE = Path(__file__).parent
V = load_vectors()


@pytest.fixture(scope="module")
def firmware_results(micropython) -> dict[str, dict]:
    proc = micropython(HERE / "mp_protocol_vectors.py", str(VECTORS / "protocol_v1.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    return {r["name"]: r for r in rows}


@pytest.mark.parametrize("v", V["device_to_fleet"], ids=lambda v: v["name"])
def test_firmware_builds_device_messages(firmware_results: dict, v: dict) -> None:
    got = firmware_results[v["name"]]
    assert got["topic"] == v["topic"]
    payload = bytes.fromhex(got["payload_hex"])
    if "payload_hex" in v:
        assert payload == bytes.fromhex(v["payload_hex"])  # binary layouts: byte for byte
    else:
        assert json.loads(payload) == v["payload"]
        compact = json.dumps(json.loads(payload), separators=(",", ":")).encode()
        assert len(payload) == len(compact)  # no padding spaces, like the fleet's encoder
    if "payload_text" in v:
        assert payload == v["payload_text"].encode()


@pytest.mark.parametrize("v", V["fleet_to_device"], ids=lambda v: v["name"])
def test_firmware_parses_downlink(firmware_results: dict, v: dict) -> None:
    assert firmware_results[v["name"]]["parsed"] == v["parsed"]


@pytest.mark.parametrize("v", V["invalid_downlink"], ids=lambda v: v["name"])
def test_firmware_rejects_bad_downlink(firmware_results: dict, v: dict) -> None:
    assert firmware_results[v["name"]]["rejected"] is True


def test_firmware_config_errors_name_the_key(micropython, tmp_path: Path) -> None:
    cases = {
        "missing_broker": ({"device_id": "badge-0001"}, "`broker` is missing"),
        "bad_id": ({"device_id": "Badge 1", "broker": {"host": "h", "port": 1}}, "`device_id`"),
        "bad_port": ({"device_id": "badge-0001", "broker": {"host": "h", "port": 0}}, "`port`"),
        "keepalive": (
            {"device_id": "badge-0001", "broker": {"host": "h", "port": 1}, "keepalive_s": 1},
            "`keepalive_s` must be 5-3600",
        ),
    }
    for name, (cfg, expected) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(cfg))
        proc = micropython(HERE.parent.parent / "firmware" / "main.py", "--config", str(path))
        assert proc.returncode == 2, (name, proc.stdout, proc.stderr)
        assert expected in proc.stdout, (name, proc.stdout)
    (tmp_path / "garbage.json").write_text("{nope")
    proc = micropython(
        HERE.parent.parent / "firmware" / "main.py", "--config", str(tmp_path / "garbage.json")
    )
    assert proc.returncode == 2 and "is not JSON" in proc.stdout
