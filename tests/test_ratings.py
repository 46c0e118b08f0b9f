"""Customers' ratings from a kiosk through a real Mosquitto (issue 21's fleet side): each
stored once however often it arrives, a bad one refused with the field named, a low one sent
to the station's manager, and NPS / CSI / staff ratings reported with their interval, the
stations with too few answers flagged rather than ranked."""

import threading
from pathlib import Path

import aiohttp
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from crmsensor.errors import ProtocolError
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import encode_event
from devtools.broker import MosquittoProcess
from devtools.sim import devices
from edge_kiosk.agent import KioskAgent
from edge_kiosk.config import parse_config
from fleet.devices.registry import DeviceSpec, register
from fleet.notify.models import Delivery
from fleet.notify.outbox import subscribe
from fleet.office import accounts
from fleet.office.access import Scope
from fleet.surveys.models import Rating
from fleet.surveys.reports import nps_interval
from tests.conftest import RunningFleet, eventually
from tests.office_world import PASSWORD

KIOSK = "kiosk-0501"
SCORES = [10, 10, 9, 9, 9, 8, 7, 3, 0, 6]  # 5 promoters, 2 passives, 3 detractors: NPS 20


def rating(nps: int | None, session: str, **more: object) -> dict:
    out: dict = {"session": session, "scenario": "summer", "version": 3, "t_s": 12.5, "lang": "ru"}
    if nps is not None:
        out["nps"] = nps
    return {**out, **more}


def test_the_nps_interval() -> None:
    score, low, high = nps_interval(10, 5, 3) or (0, 0, 0)
    assert round(score) == 20 and low < 20 < high and high - low > 50  # ten answers: wide
    assert nps_interval(0, 0, 0) is None
    assert nps_interval(1000, 500, 300)[2] - nps_interval(1000, 500, 300)[1] < 12  # type: ignore[index]


async def test_ratings_stored_once_told_and_reported(
    fleet: RunningFleet, broker: MosquittoProcess
) -> None:
    await register(DeviceSpec(KIOSK, "kiosk", "st-5"))
    grant = accounts.GrantSpec("station_manager", Scope("station", "st-5"))
    user = await accounts.add_user("mgr", PASSWORD, [grant])
    await subscribe(user.id, "sms", "+15550100", "warning")
    token = await accounts.create_token(user, "tests")
    kiosk = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=KIOSK)
    kiosk.connect("127.0.0.1", broker.config.port)
    kiosk.loop_start()
    try:
        why = {3: ["queue", "price"], 0: ["queue"]}  # the detractors' reasons
        payloads = [
            encode_event(seq, "rating", 1_795_000_000,
                         rating(score, f"s-0000abcd-{seq}", reasons=why.get(score, [])))
            for seq, score in enumerate(SCORES)
        ]  # fmt: skip
        payloads.append(payloads[8])  # delivered again (a lost PUBACK)
        staff = rating(None, "s-0000abcd-20", staff={"cashier": 2, "fuel_attendant": 5},
                       reasons=["slow"], comment="waited")  # fmt: skip
        payloads.append(encode_event(20, "rating", None, staff))
        bad = rating(11, "s-0000abcd-21")  # out of 0-10: refused, named
        payloads.append(encode_event(21, "rating", None, bad))
        for p in payloads:
            kiosk.publish(topic(KIOSK, Channel.EVT), p, qos=1).wait_for_publish(5)

        async def all_in() -> bool:
            return await Rating.filter(device_id=KIOSK).count() == len(SCORES) + 1

        await eventually(all_in)
    finally:
        kiosk.loop_stop()
        kiosk.disconnect()
    assert await Rating.filter(device_id=KIOSK).count() == len(SCORES) + 1  # the copy not kept
    assert fleet.ingest.stats.ignored["duplicate_rating"] == 1
    assert fleet.ingest.stats.rejected["schema"] >= 1
    # the three detractors and the cashier's 2 stars were sent to the manager by SMS, once each
    notices = await Delivery.filter(topic="rating").order_by("id")
    assert len(notices) == 4 and {d.channel for d in notices} == {"sms"}
    assert any("cashier 2/5" in d.subject and "waited" in d.body for d in notices)

    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(fleet.url + "api/v1/ratings/report") as r:
            (row,) = (await r.json())["items"]
        async with http.get(fleet.url + "api/v1/ratings/reasons") as r:
            reasons = (await r.json())["items"]
        async with http.get(fleet.url + "api/v1/ratings/report?format=csv") as r:
            csv_text = await r.text()
        year = "api/v1/ratings/report?period=day&since=2025-01-01T00:00:00%2B00:00"
        async with http.get(fleet.url + year) as r:
            assert r.status == 409 and "at most 93 days" in (await r.json())["error"]
    assert row["station"] == "st-5" and row["answers"] == 11 and row["nps_answers"] == 10
    assert row["nps"] == 20.0 and row["nps_low"] < 20 < row["nps_high"]
    assert row["few"] is True and row["rank"] is None  # 10 answers < 30: not ranked
    assert row["cashier"] == 2.0 and row["csi"] == 62.5  # (2 + 5) / 2 = 3.5 of 1-5 stars
    # "slow" came with staff ratings only (no NPS): not a low score's reason
    assert reasons == [{"reason": "queue", "answers": 2}, {"reason": "price", "answers": 1}]
    assert csv_text.splitlines()[0].startswith("station,period,answers,nps_answers,nps")


async def test_the_kiosk_keeps_answers_while_the_broker_is_away(
    fleet: RunningFleet, broker: MosquittoProcess, tmp_path: Path
) -> None:
    await register(DeviceSpec(KIOSK, "kiosk", "st-5"))
    cfg = devices.kiosk_config(KIOSK, "st-5", "127.0.0.1", broker.config.port, tele_interval_s=1)
    agent = KioskAgent(parse_config({**cfg, "queue_dir": str(tmp_path / "queue")}))
    with pytest.raises(ProtocolError, match="nps above 10"):
        agent.submit_rating(rating(11, "s-0000abcd-1"))  # refused where it is made
    broker.stop()
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, args=(stop,))
    thread.start()
    try:
        for n in range(5):
            agent.submit_rating(rating(n * 2, f"s-0000abcd-{n}"))
        await eventually(lambda: len(agent.outbox) >= 5)  # on disk, the broker away
        broker.start()

        async def delivered() -> bool:
            return await Rating.filter(device_id=KIOSK).count() == 5 and not len(agent.outbox)

        await eventually(delivered, timeout=30)
    finally:
        stop.set()
        thread.join(20)
    rows = await Rating.filter(device_id=KIOSK).order_by("seq")
    assert [r.nps for r in rows] == [0, 2, 4, 6, 8]  # in order, each once
