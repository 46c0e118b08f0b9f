"""The fleet manager's HTTP side, through a real broker: API shapes, errors, health."""

from datetime import UTC, datetime
from typing import Any

import aiohttp

from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_telemetry
from devtools.broker import MosquittoProcess
from fleet.alerts.models import Alert
from fleet.devices.commands import queue_command
from fleet.devices.registry import DeviceSpec, register
from tests.conftest import MqttProbe, RunningFleet, eventually


async def _get(fleet: RunningFleet, path: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession(headers=fleet.auth) as http,
        http.get(fleet.url + path) as res,
    ):
        body = await res.json() if res.content_type == "application/json" else await res.text()
        return res.status, body


def now() -> datetime:
    return datetime.now(UTC)


def _tele(seq: int) -> bytes:
    return encode_telemetry({"seq": seq, "uptime_s": seq, "batt_pct": 80, "batt_mv": 3900})


async def test_devices_telemetry_and_errors(fleet: RunningFleet, broker: MosquittoProcess) -> None:
    await register(DeviceSpec("badge-0042", "badge", "st-9", "badge-r1"))
    probe = MqttProbe(broker.config.port)
    try:
        for seq in range(3):
            probe.publish(topic("badge-0042", Channel.TELE), _tele(seq))

        async def three_rows() -> Any:
            status, body = await _get(fleet, "api/v1/devices/badge-0042/telemetry?limit=5")
            return body if status == 200 and len(body["items"]) == 3 else None

        body = await eventually(three_rows)
        assert [r["seq"] for r in body["items"]] == [2, 1, 0]  # newest first

        status, devices = await _get(fleet, "api/v1/devices")
        assert status == 200
        (dev,) = devices["items"]
        assert dev["id"] == "badge-0042" and dev["station"] == "st-9"
        assert dev["tele"]["batt_pct"] == 80 and dev["last_seen"] is not None

        status, text = await _get(fleet, "api/v1/devices/nobody-1")
        assert status == 404 and "nobody-1" in text["error"]
        for bad, why in (("abc", "integer"), ("0", "1-1000"), ("5000", "1-1000")):
            status, text = await _get(fleet, f"api/v1/devices/badge-0042/events?limit={bad}")
            assert status == 400 and why in text["error"]

        status, page = await _get(fleet, "")
        assert status == 200 and "Fleet overview" in page
    finally:
        probe.close()


async def test_health_follows_the_broker_and_ingest_resumes(
    fleet: RunningFleet, broker: MosquittoProcess
) -> None:
    await register(DeviceSpec("badge-0043", "badge", "st-9"))
    status, body = await _get(fleet, "healthz")
    assert (status, body) == (200, {"ok": True, "mqtt": True})

    broker.kill()

    async def unhealthy() -> bool:
        return (await _get(fleet, "healthz"))[0] == 503

    await eventually(unhealthy)

    broker.start()

    async def healthy() -> bool:
        return (await _get(fleet, "healthz"))[0] == 200

    await eventually(healthy, timeout=30)
    probe = MqttProbe(broker.config.port)
    try:
        probe.publish(topic("badge-0043", Channel.TELE), _tele(7))

        async def stored() -> Any:
            _, body = await _get(fleet, "api/v1/devices/badge-0043/telemetry")
            return body["items"]

        rows = await eventually(stored)
        assert rows[0]["seq"] == 7
    finally:
        probe.close()


async def test_openapi_documents_every_route_and_pagination_walks_all(
    fleet: RunningFleet,
) -> None:
    status, doc = await _get(fleet, "api/v1/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.")
    routes = {
        (r.method, r.resource.canonical)
        for r in fleet.app.router.routes()
        if r.resource is not None and r.method != "HEAD"
    }
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert {r for r in routes if r[1].startswith(("/api/", "/healthz", "/metrics"))} == documented

    for i in range(7):
        await register(
            DeviceSpec(f"badge-{i:04d}", "badge", "st-1", tags=["pilot"] if i % 2 else [])
        )
    seen, after = [], None
    while True:
        status, page = await _get(
            fleet, "api/v1/devices?limit=3" + (f"&after={after}" if after else "")
        )
        assert status == 200
        seen += [d["id"] for d in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [f"badge-{i:04d}" for i in range(7)]
    _, page = await _get(fleet, "api/v1/devices?tag=pilot")
    assert [d["id"] for d in page["items"]] == ["badge-0001", "badge-0003", "badge-0005"]

    # A tag filter pages like any other, and follows re-registration.
    seen, after = [], None
    while True:
        path = "api/v1/devices?tag=pilot&limit=2" + (f"&after={after}" if after else "")
        _, page = await _get(fleet, path)
        seen += [d["id"] for d in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == ["badge-0001", "badge-0003", "badge-0005"]
    await register(DeviceSpec("badge-0003", "badge", "st-1", tags=["other"]))
    _, page = await _get(fleet, "api/v1/devices?tag=pilot")
    assert [d["id"] for d in page["items"]] == ["badge-0001", "badge-0005"]

    await Alert.create(
        device_id="badge-0002", rule="battery_low", severity="warn", message="low", opened_at=now()
    )
    await Alert.create(
        device_id="badge-0004",
        rule="rssi_poor",
        severity="warn",
        message="old",
        opened_at=now(),
        closed_at=now(),
    )
    _, page = await _get(fleet, "api/v1/devices?alerting=true")
    assert [d["id"] for d in page["items"]] == ["badge-0002"]
    _, page = await _get(fleet, "api/v1/devices?alerting=false&limit=1000")
    assert len(page["items"]) == 6 and "badge-0002" not in [d["id"] for d in page["items"]]


async def test_invalid_requests_get_json_4xx_never_5xx(fleet: RunningFleet) -> None:
    await register(DeviceSpec("badge-0042", "badge", "st-9"))
    bad_gets = [
        "api/v1/devices?online=maybe",
        "api/v1/devices?kind=toaster",
        "api/v1/devices?bogus=1",
        "api/v1/devices/badge-0042/telemetry?since=yesterday",
        "api/v1/devices/badge-0042/telemetry?after=abc",
        "api/v1/recordings?limit=-1",
        "api/v1/recordings/xyz",
        "api/v1/recordings/99/audio",
        "api/v1/commands/nope",
        "api/v1/alerts?open=1",
    ]
    for path in bad_gets:
        status, body = await _get(fleet, path)
        assert 400 <= status < 500 and isinstance(body, dict) and body["error"], (path, body)

    async with aiohttp.ClientSession(headers=fleet.auth) as http:
        url = fleet.url + "api/v1/devices/badge-0042/commands"
        for body, why in (
            ({"op": "dance"}, "op: Input should be"),
            ({"op": "ping", "ttl_s": "soon"}, "ttl_s"),
            ({"op": "ping", "extra": 1}, "unknown field 'extra'"),
            ({"op": "set_config", "args": {"x": "y" * 3000}}, "too large"),
        ):
            async with http.post(url, json=body) as r:
                assert r.status == 400 and why in (await r.json())["error"]
        async with http.post(url, data=b"not json") as r:
            assert r.status == 400 and "JSON" in (await r.json())["error"]
        async with http.post(url, json={"op": "ping"}) as r:
            cmd = await r.json()
            assert r.status == 201 and cmd["state"] == "queued"
        async with http.post(fleet.url + "api/v1/devices", json={"id": "X", "kind": "badge"}) as r:
            assert r.status == 400 and "id: String should match" in (await r.json())["error"]


async def test_renewal_commands_are_the_fleets_own(fleet: RunningFleet) -> None:
    await register(DeviceSpec("badge-0009", "badge", "st-1"))
    async with aiohttp.ClientSession(headers=fleet.auth) as http:
        body = {"op": "renew_cert", "args": {"cert": "x", "key": "y"}}
        async with http.post(fleet.url + "api/v1/devices/badge-0009/commands", json=body) as r:
            assert r.status == 400 and "op: Input should be" in (await r.json())["error"]
    cmd = await queue_command("badge-0009", "renew_cert", {"serial": "1f", "key": "c2VjcmV0"})
    status, view = await _get(fleet, f"api/v1/commands/{cmd.id}")
    assert status == 200 and view["args"]["key"] == "(hidden)" and view["args"]["serial"] == "1f"
