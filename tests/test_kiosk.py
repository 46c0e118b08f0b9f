"""The kiosk agent reporting through the real broker to the fleet."""

import threading

import pytest

from crmsensor.errors import ConfigError
from edge_kiosk.agent import run_agent
from edge_kiosk.config import parse_config
from fleet.devices.models import Device, Telemetry
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import eventually


async def test_kiosk_reports_fps_and_says_offline_on_stop(fleet, broker, tmp_path) -> None:
    await register(DeviceSpec("kiosk-0001", "kiosk", "st-1"))
    cfg = parse_config(
        {
            "device_id": "kiosk-0001",
            "station": "st-1",
            "broker": {"host": "127.0.0.1", "port": broker.config.port},
            "tele_interval_s": 1,
            "camera_fps": 20,
            "queue_dir": str(tmp_path / "queue"),
        }
    )

    async def two_reports() -> list:
        rows = await Telemetry.filter(device_id="kiosk-0001").order_by("seq")
        return rows if len(rows) >= 2 else []

    stop = threading.Event()
    agent = threading.Thread(target=run_agent, args=(cfg, stop))
    agent.start()
    try:
        rows = await eventually(two_reports)
        device = await Device.get(id="kiosk-0001")
        assert device.online and device.fw == "0.1.0"
        assert all(r.data["camera_ok"] is True for r in rows)
        # fps is measured over each report window: near the configured 20.
        assert 10 < rows[-1].data["fps"] <= 21
    finally:
        stop.set()
        agent.join(10)
    assert not agent.is_alive()

    async def offline() -> bool:
        d = await Device.get(id="kiosk-0001")
        return not d.online and d.status_reason == "shutdown"

    await eventually(offline)


@pytest.mark.parametrize(
    ("cfg", "message"),
    [
        ({}, "`device_id` is missing"),
        ({"device_id": "k1x", "broker": {"host": "h"}}, "`broker.port` is missing"),
        (
            {"device_id": "k1x", "broker": {"host": "h", "port": 1}, "camera_fps": 0},
            "`camera_fps` must be 0.5-60",
        ),
        (
            {"device_id": "k1x", "broker": {"host": "h", "port": 1}, "keepalive_s": True},
            "`keepalive_s` must be int",
        ),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_kiosk_config_errors_name_the_key(cfg: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("`", "`").replace(".", r"\.")):
        parse_config(cfg)
