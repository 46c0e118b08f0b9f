"""The screen's systemd unit starts Chromium with the flags edge_kiosk/screen/chromium.py
names, on the port the kiosk's config defaults to."""

from pathlib import Path

from edge_kiosk.config import parse_config
from edge_kiosk.screen.chromium import command

UNIT = (
    Path(__file__).resolve().parents[1] / "edge_kiosk" / "deploy" / "crmsensor-kiosk-screen.service"
)


def test_the_unit_runs_chromium_with_the_kiosk_flags() -> None:
    (line,) = [x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart=")]
    argv = line.removeprefix("ExecStart=").split()
    assert argv[:4] == ["/usr/bin/cage", "-d", "-s", "--"]
    assert argv[4:] == command()
    cfg = parse_config({"device_id": "kiosk-0001", "broker": {"host": "h", "port": 1},
                        "screen": {}})  # fmt: skip
    assert command()[-1] == f"http://127.0.0.1:{cfg.screen_port}/"
