"""Releases in the fleet: signed uploads taken, bad ones refused with the reason; a release
told to a device as an ``ota`` command, its bundle downloaded by token with HTTP Range, its
progress followed from the device's events; yanked releases and silent devices."""

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from crmsensor import release_keys as rk
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_event
from devtools.broker import MosquittoProcess
from fleet.devices.models import Command, Device
from fleet.devices.registry import DeviceSpec, register
from fleet.settings import UpdateSettings
from fleet.updates import releases
from fleet.updates.models import DeviceUpdate
from tests.conftest import MqttProbe, _fleet_settings, eventually, running_fleet

PASS = b"correct horse battery"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("keys")
    release, other = rk.new_key(d / "release.pem", PASS), rk.new_key(d / "other.pem", PASS)
    trusted = d / "trusted.json"
    trusted.write_text(json.dumps([rk.trusted_entry(release.public_key())]))
    return {"release": release, "other": other, "trusted": trusted}


async def upload(url: str, auth: dict[str, str], parts: dict[str, bytes]) -> tuple[int, Any]:
    form = aiohttp.FormData()
    for name, data in parts.items():
        if name == "bundle":
            form.add_field(name, data, filename="bundle.bin")
        else:
            form.add_field(name, data.decode())
    async with (
        aiohttp.ClientSession(headers=auth) as http,
        http.post(url + "api/v1/releases", data=form) as r,
    ):
        return r.status, await r.json()


async def test_releases_are_kept_only_when_signed_and_whole(
    broker: MosquittoProcess, tmp_path: Path, keys: dict[str, Any]
) -> None:
    bundle = tmp_path / "app.tar"
    data = os.urandom(50_000)
    bundle.write_bytes(data)
    body, sig = rk.sign_release(bundle, keys["release"], version="0.2.0", kind="badge-app",
                                hw=["sim", "badge-r1"], min_version="0.1.0")  # fmt: skip
    _, other_sig = rk.sign_release(bundle, keys["other"], version="0.2.0", kind="badge-app",
                                   hw=["sim"], min_version="0.1.0")  # fmt: skip
    settings = _fleet_settings(broker, tmp_path, updates=UpdateSettings(str(keys["trusted"])))
    async with running_fleet(settings) as fleet:
        ok = {"manifest": body, "signature": sig.encode(), "bundle": data}
        bad = [
            ({**ok, "signature": b""}, "bad signature"),
            ({k: v for k, v in ok.items() if k != "signature"}, "no signature part"),
            ({**ok, "signature": other_sig.encode()}, "bad signature"),
            ({**ok, "manifest": body.replace(b"0.2.0", b"0.2.1")}, "bad signature"),
            ({**ok, "bundle": data[:-1]}, "49999 bytes, its manifest says 50000"),
            ({**ok, "bundle": b"x" + data[1:]}, "SHA-256 differs"),
            ({**ok, "manifest": b"not json"}, "not JSON"),
        ]
        for parts, why in bad:
            status, answer = await upload(fleet.url, fleet.auth, parts)
            assert status == (400 if "part" in why else 409) and why in answer["error"], answer
        by_other = rk.sign_release(bundle, keys["other"], version="0.3.0", kind="badge-app",
                                   hw=["sim"])  # fmt: skip
        status, answer = await upload(
            fleet.url,
            fleet.auth,
            {**ok, "manifest": by_other[0], "signature": by_other[1].encode()},
        )
        assert status == 409 and "untrusted key" in answer["error"]

        status, release = await upload(fleet.url, fleet.auth, ok)
        assert status == 201, release
        assert (release["version"], release["hw"], release["size"]) == (
            "0.2.0",
            ["badge-r1", "sim"],
            50_000,
        )
        assert (await upload(fleet.url, fleet.auth, ok))[0] == 409
        listed = await fleet.get("api/v1/releases?kind=badge-app")
        assert [r["id"] for r in listed["items"]] == [release["id"]]

        # Told to a device: refused where it does not fit, else an ota command with a token
        await register(DeviceSpec("badge-0001", "badge", "st-1", "sim"))
        await register(DeviceSpec("badge-0002", "badge", "st-1", "badge-r9"))
        await register(DeviceSpec("kiosk-0001", "kiosk", "st-1", "sim"))
        await Device.filter(id="badge-0001").update(fw="0.1.0")
        for device, why in (("badge-0002", "hardware revision badge-r9"),
                            ("kiosk-0001", "not for a kiosk")):  # fmt: skip
            async with (
                aiohttp.ClientSession(headers=fleet.auth) as http,
                http.post(
                    fleet.url + f"api/v1/devices/{device}/update", json={"release": release["id"]}
                ) as r,  # fmt: skip
            ):
                assert r.status == 409 and why in (await r.json())["error"]
        upd = await fleet.post("api/v1/devices/badge-0001/update", {"release": release["id"]})
        assert (upd["state"], upd["from_version"]) == ("queued", "0.1.0")
        command = await Command.get(id=upd["command"])
        assert command.op == "ota" and command.args["manifest"] == body.decode()
        url = command.args["url"]
        assert url.startswith(fleet.url + "api/v1/bundles/")
        async with aiohttp.ClientSession() as http:  # the device has no account: the token
            async with http.get(url) as r:
                assert r.status == 200 and await r.read() == data
            async with http.get(url, headers={"Range": "bytes=20000-"}) as r:
                assert r.status == 206 and await r.read() == data[20000:]
                assert r.headers["Content-Range"] == "bytes 20000-49999/50000"
            async with http.get(url, headers={"Range": "bytes=60000-"}) as r:
                assert r.status == 416
            async with http.get(url[:-3] + "abc") as r:
                assert r.status == 404

        # Progress from the device's own events
        probe = MqttProbe(broker.config.port)
        try:
            event = {
                "release": release["id"],
                "version": "0.2.0",
                "state": "downloading",
                "pct": 40,
            }
            probe.publish(topic("badge-0001", Channel.EVT), encode_event(0, "ota", None, event))

            async def downloading() -> bool:
                row = await DeviceUpdate.get(id=upd["id"])
                return row.state == "downloading" and row.pct == 40

            await eventually(downloading)
        finally:
            probe.close()

        # Yanked mid-update: the download is refused, the update cancelled, no new ones
        async with (
            aiohttp.ClientSession(headers=fleet.auth) as http,
            http.post(
                fleet.url + f"api/v1/releases/{release['id']}/yank",
                json={"reason": "drains batteries"},
            ) as r,  # fmt: skip
        ):
            assert r.status == 200 and (await r.json())["cancelled"] == 1
        async with aiohttp.ClientSession() as http, http.get(url) as r:
            assert r.status == 410
        row = await DeviceUpdate.get(id=upd["id"])
        assert (row.state, row.reason) == ("cancelled", "release yanked: drains batteries")
        async with (
            aiohttp.ClientSession(headers=fleet.auth) as http,
            http.post(
                fleet.url + "api/v1/devices/badge-0001/update", json={"release": release["id"]}
            ) as r,  # fmt: skip
        ):
            assert r.status == 409 and "yanked" in (await r.json())["error"]


async def test_a_device_silent_past_its_deadline_fails_its_update(
    broker: MosquittoProcess, tmp_path: Path, keys: dict[str, Any]
) -> None:
    bundle = tmp_path / "app.tar"
    bundle.write_bytes(os.urandom(1000))
    body, sig = rk.sign_release(bundle, keys["release"], version="0.2.0", kind="badge-app",
                                hw=["sim"])  # fmt: skip
    settings = _fleet_settings(broker, tmp_path, updates=UpdateSettings(str(keys["trusted"])))
    async with running_fleet(settings) as fleet:
        keys_ = releases.trusted_keys(str(keys["trusted"]))
        from fleet.state import OBJECTS

        release = await releases.store_release(
            fleet.app[OBJECTS], keys_, body, sig, bundle, "tests"
        )
        await register(DeviceSpec("badge-0003", "badge", "st-1", "sim"))
        device = await Device.get(id="badge-0003")
        now = datetime.now(UTC)
        upd = await releases.deliver(device, release, fleet.url, 600, now=now)
        assert await releases.expire(now + timedelta(seconds=599)) == 0
        assert await releases.expire(now + timedelta(seconds=601)) == 1
        row = await DeviceUpdate.get(id=upd.id)
        assert (row.state, row.reason) == ("failed", "no report before the deadline")
