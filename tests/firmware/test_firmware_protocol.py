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
    ok = {"device_id": "badge-0001", "broker": {"host": "h", "port": 1}}
    cases = {
        "missing_broker": ({"device_id": "badge-0001"}, "`broker` is missing"),
        "bad_id": ({**ok, "device_id": "Badge 1"}, "`device_id`"),
        "bad_port": ({**ok, "broker": {"host": "h", "port": 0}}, "`broker.port` must be 1-65535"),
        "no_host": ({**ok, "broker": {"port": 1}}, "`broker.host` is missing"),
        "keepalive": ({**ok, "keepalive_s": 1}, "`keepalive_s` must be 5-3600"),
        "codec": ({**ok, "rec": {"codec": "mp3"}}, "`rec.codec` must be pcm16 or ima_adpcm"),
        "rec_key": ({**ok, "rec": {"bitrate": 1}}, "`rec.bitrate` is not a recording setting"),
        "gap": ({**ok, "rec": {"max_gap_ms": "long"}}, "`rec.max_gap_ms` must be int"),
        "wifi": ({**ok, "wifi": {"ssid": "x"}}, "`wifi.psk` is missing"),
        "tls": (
            {**ok, "broker": {"host": "h", "port": 1, "tls": {}}},
            "`broker.tls.ca` is missing",
        ),
        "good": (ok, None),
    }
    (tmp_path / "cases.json").write_text(json.dumps({k: v[0] for k, v in cases.items()}))
    proc = micropython(HERE / "mp_config.py", str(tmp_path / "cases.json"), str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = {r["name"]: r["error"] for r in map(json.loads, proc.stdout.splitlines()[:-1])}
    for name, (_cfg, expected) in cases.items():
        if expected is None:
            assert got[name] is None
        else:
            assert got[name] is not None and expected in got[name], (name, got[name])
    assert proc.stdout.splitlines()[-1] == "ok set_config"
