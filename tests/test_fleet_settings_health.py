"""Fleet settings (file + environment, errors naming the key), health rules, retention."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crmsensor.errors import ConfigError
from fleet import retention
from fleet.alerts.models import Alert
from fleet.alerts.rules import HealthRules, check_all, evaluate, station_open
from fleet.devices.models import Device, Telemetry, TelemetryHourly
from fleet.devices.registry import DeviceSpec, register
from fleet.hierarchy.stations import StationSpec, upsert_station
from fleet.recordings.models import Recording
from fleet.recordings.objects import LocalObjectStore
from fleet.settings import load_settings


def test_settings_file_then_environment(tmp_path: Path) -> None:
    f = tmp_path / "fleet.toml"
    f.write_text(
        'db_url = "sqlite://a.db"\nbroker = "mq.local:8883"\n'
        '[retention]\nrecording_days = 30\n[health]\nlatest_fw = { badge = "0.2.0" }\n'
    )
    s = load_settings(f, {"CRMS_FLEET_BROKER": "10.0.0.5:1884"})
    assert (s.db_url, s.broker_host, s.broker_port) == ("sqlite://a.db", "10.0.0.5", 1884)
    assert s.retention.recording_days == 30.0 and s.health.latest_fw == {"badge": "0.2.0"}


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("db_url = 3", {}, "db_url must be a string"),
        ("colour = 'red'", {}, "colour is not a setting"),
        ("[retention]\nrecording_days = 'long'", {}, "retention.recording_days must be float"),
        ("[retention]\nrecording_days = 0", {}, "retention.recording_days must be > 0"),
        ("[health]\nbattery_low = 5", {}, "health.battery_low is not a setting"),
        ("db_url = 'mysql://x'", {}, "db_url must be sqlite"),
        ("", {"CRMS_FLEET_HTTP": "8080"}, "CRMS_FLEET_HTTP must be HOST:PORT"),
        ("x = [", {}, "is not valid TOML"),
        ("[s3]\nbucket = 'Bad_Name'", {}, "s3.bucket 'Bad_Name' is not a valid bucket name"),
        ("[s3]\nbucket = 'rec'\nendpoint_url = 'minio:9000'", {}, "s3.endpoint_url must start"),
        ("[s3]\nbucket = 'rec'\naccess_key_id = 'AK'", {}, "go together"),
        ("[s3]\nbucket = 'rec'\npart_size = 1024", {}, "s3.part_size must be at least"),
        ("[s3]\nbuckets = 'rec'", {}, "s3.buckets is not a setting"),
        ("", {"CRMS_FLEET_S3_PART_SIZE": "8M"}, "CRMS_FLEET_S3_PART_SIZE must be a whole number"),
        ("[enhance]\nenabled = 'yes'", {}, "enhance.enabled must be bool"),
        ("[enhance]\nfloor_db = -60", {}, "enhance.floor_db must be within -40..0 dB"),
    ],
)
def test_settings_errors_name_the_key(tmp_path: Path, text: str, env: dict, message: str) -> None:
    f = tmp_path / "fleet.toml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(f, env)


def test_s3_settings_from_file_and_secret_from_environment(tmp_path: Path) -> None:
    f = tmp_path / "fleet.toml"
    f.write_text('[s3]\nbucket = "crms-rec"\nendpoint_url = "http://minio:9000"\n')
    env = {"CRMS_FLEET_S3_ACCESS_KEY_ID": "AK", "CRMS_FLEET_S3_SECRET_ACCESS_KEY": "SK"}
    s = load_settings(f, env)
    assert (s.s3.bucket, s.s3.endpoint_url) == ("crms-rec", "http://minio:9000")
    assert (s.s3.access_key_id, s.s3.secret_access_key) == ("AK", "SK")
    assert load_settings(None, {}).s3.bucket == ""  # the local folder by default


def test_opening_hours_wrap_midnight_and_follow_the_timezone() -> None:
    noon_utc = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert station_open("06:00-22:00", "UTC", noon_utc)
    assert not station_open("22:00-06:00", "UTC", noon_utc)
    assert station_open("22:00-06:00", "UTC", noon_utc.replace(hour=23))
    # 12:00 UTC is 21:00 in Tokyo: open until 20:00 there means closed.
    assert not station_open("08:00-20:00", "Asia/Tokyo", noon_utc)


async def test_health_rules_open_and_close_alerts(fleet_db: str) -> None:
    now = datetime.now(UTC)
    await upsert_station(StationSpec("st-1", organisation="acme", region="north"))
    await register(DeviceSpec("badge-0001", "badge", "st-1"))
    await register(DeviceSpec("kiosk-0001", "kiosk", "st-1"))
    await Device.filter(id="badge-0001").update(
        online=True,
        fw="0.1.0",
        last_seen=now,
        last_charging_at=now - timedelta(hours=30),
        worn_since=now - timedelta(hours=2),
        last_tele={"batt_pct": 9, "charging": False, "storage_free_kb": 1000, "rssi_dbm": -88,
                   "worn": True},
    )  # fmt: skip
    await Device.filter(id="kiosk-0001").update(
        online=True, last_seen=now, last_tele={"camera_ok": False, "fps": 1.5}
    )
    rules = HealthRules(latest_fw={"badge": "0.2.0"})
    await check_all(rules, now)
    open_rules = {
        (a.device_id, a.rule)  # type: ignore[attr-defined]
        for a in await Alert.filter(closed_at=None)
    }
    assert open_rules == {
        ("badge-0001", r)
        for r in ("battery_low", "not_charged", "storage_low", "rssi_poor", "no_recording",
                  "firmware_behind")
    } | {("kiosk-0001", "camera_error"), ("kiosk-0001", "fps_low")}  # fmt: skip

    # Charged, recorded, updated: those alerts close; running again opens nothing twice.
    await Device.filter(id="badge-0001").update(
        fw="0.2.0",
        last_charging_at=now,
        last_recording_at=now,
        last_tele={"batt_pct": 90, "charging": True, "storage_free_kb": 10**7, "rssi_dbm": -50,
                   "worn": True},
    )  # fmt: skip
    await check_all(rules, now)
    await check_all(rules, now)
    still = {a.rule for a in await Alert.filter(device_id="badge-0001", closed_at=None)}
    assert still == set()
    assert await Alert.filter(device_id="kiosk-0001", closed_at=None).count() == 2
    d = await Device.get(id="badge-0001")
    later = evaluate(d, rules, now + timedelta(hours=25), True)
    assert later.keys() == {"not_charged", "no_recording"}  # a day on, still worn, silent
    assert "no_recording" not in evaluate(d, rules, now + timedelta(hours=25), False)


async def test_retention_folds_telemetry_and_expires_recordings_with_objects(
    fleet_db: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    await register(DeviceSpec("badge-0001", "badge", "st-1"))
    old = now - timedelta(days=10)
    for i, pct in enumerate((80, 70, 60)):
        await Telemetry.create(
            device_id="badge-0001", received_at=old.replace(minute=i), seq=i, ts=None,
            data={"seq": i, "batt_pct": pct, "charging": False},
        )  # fmt: skip
    await Telemetry.create(
        device_id="badge-0001", received_at=now, seq=9, ts=None, data={"batt_pct": 50}
    )
    store = LocalObjectStore(tmp_path / "objects")

    async def body():  # type: ignore[no-untyped-def]
        yield b"RIFF"

    await store.put("recordings/badge-0001/r-old.wav", body())
    await Recording.create(
        device_id="badge-0001", rec_id="r-old", duration_ms=1, codec="pcm16", rate=16000,
        size=4, sha256="0" * 64, object_key="recordings/badge-0001/r-old.wav",
    )  # fmt: skip
    await Recording.filter(rec_id="r-old").update(created_at=now - timedelta(days=100))
    done = await retention.apply(store, now, raw_days=7, hourly_days=400, recording_days=90)
    assert done == {"telemetry_folded": 3, "hourly_expired": 0, "recordings_expired": 1,
                    "clips_expired": 0}  # fmt: skip
    (hourly,) = await TelemetryHourly.all()
    assert hourly.count == 3 and hourly.stats["batt_pct"] == [3, 60, 80, 210]
    assert await Telemetry.all().count() == 1
    assert await store.size("recordings/badge-0001/r-old.wav") is None
    assert await Recording.all().count() == 0
