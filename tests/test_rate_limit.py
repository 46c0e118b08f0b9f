"""A device flooding 100 messages a second from its own certificate (issue 22): its telemetry
past the per-device budget is refused and counted; its events (kept by the contract) are all
stored once and counted as over rate; a neighbour on the same broker loses nothing. Plus the
token bucket itself (pure) and its settings."""

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from crmsensor.errors import ConfigError
from devtools.sim import fleet_load
from fleet.devices.models import Event, Telemetry
from fleet.devices.registry import DeviceSpec
from fleet.ingest.rate_limit import RateLimit
from fleet.settings import FleetSettings, RateLimits, load_settings
from tests.conftest import eventually, running_fleet
from tests.tls_site import fleet_settings, provisioned_site


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    lim = RateLimit(per_s=2.0, burst=5)
    assert [lim.allow("a", 0.0) for _ in range(7)] == [True] * 5 + [False] * 2
    assert lim.allow("b", 0.0)  # per device
    assert lim.allow("a", 0.5) and not lim.allow("a", 0.5)  # 2 a second: one per 0.5 s
    assert [lim.allow("a", 100.0) for _ in range(6)] == [True] * 5 + [False]  # full again


def test_no_rate_means_no_limit_and_bad_values_are_named() -> None:
    off = RateLimit(0, 1)
    assert all(off.allow("a", 0.0) for _ in range(1000))
    with pytest.raises(ValueError, match="per_s >= 0 and burst >= 1"):
        RateLimit(-1, 5)
    with pytest.raises(ConfigError, match="rate_limit"):
        FleetSettings(db_url="sqlite://x", rate_limit=RateLimits(tele_burst=0)).check()


def test_idle_buckets_are_forgotten() -> None:
    lim = RateLimit(per_s=1.0, burst=3)
    for i in range(100):
        lim.allow(f"d{i}", 0.0)
    lim.allow("late", 200.0)  # every other bucket idle for 200 s (full after 3 s)
    assert list(lim._buckets) == ["late"]


def test_the_settings_file_takes_a_rate_limit_table(tmp_path: Path) -> None:
    toml = tmp_path / "fleet.toml"
    toml.write_text('db_url = "sqlite://x"\n[rate_limit]\ntele_per_s = 0.5\ntele_burst = 5\n')
    got = load_settings(toml, {})
    assert got.rate_limit == RateLimits(tele_per_s=0.5, tele_burst=5)
    toml.write_text('db_url = "sqlite://x"\n[rate_limit]\ntele_rate = 1\n')
    with pytest.raises(ConfigError, match="tele_rate"):
        load_settings(toml, {})


async def test_a_flooding_certificate_is_limited_and_loses_nothing_kept(tmp_path: Path) -> None:
    flood = fleet_load.LoadPlan(badges=1, duration_s=4.0, tele_s=0.01, evt_s=0.02,
                                upload_share=0.0, prefix="f")  # fmt: skip
    calm = fleet_load.LoadPlan(badges=2, duration_s=4.0, tele_s=0.5, evt_s=0.5,
                               upload_share=0.0, prefix="c")  # fmt: skip
    ids = flood.device_ids() + calm.device_ids()
    async with provisioned_site(tmp_path, [(DeviceSpec(d, k), {}) for d, k in ids]) as site:
        certs = tmp_path / "sim-tls"
        fleet_load.provision(site.folder / "ca", "a test passphrase", [d for d, _ in ids], certs)
        port = site.broker.config.port
        flood = replace(flood, port=port, tls_dir=certs)
        calm = replace(calm, port=port, tls_dir=certs)
        limits = RateLimits(tele_per_s=1.0, tele_burst=10, other_per_s=2.0, other_burst=10)
        settings = fleet_settings(site, client_id="fleet-flood", rate_limit=limits)
        async with running_fleet(settings) as fleet:
            sent_flood, sent_calm = await asyncio.gather(
                fleet_load.run_devices(flood, flood.device_ids()),
                fleet_load.run_devices(calm, calm.device_ids()),
            )
            assert sent_flood.connect_errors == 0 and sent_calm.connect_errors == 0
            # a loaded machine sends fewer than the plan's 100 and 50 a second: enough is past
            # both budgets (10 + 1/s for telemetry, 10 + 2/s for events over 4 s)
            assert sent_flood.counts["tele"] > 60 and sent_flood.counts["evt"] > 30
            stats = fleet.ingest.stats

            async def settled() -> bool:
                flooder = await Telemetry.filter(device_id__startswith="f").count()
                return flooder + stats.rejected["rate_limited"] == sent_flood.counts["tele"]

            await eventually(settled)
            kept = await Telemetry.filter(device_id__startswith="f").count()
            # a burst of 10, then about one a second over the 4 s (more if the fleet fell
            # behind and heard them later: still far below the hundreds sent)
            assert 10 <= kept <= 10 + 10, kept
            assert stats.rejected["rate_limited"] >= sent_flood.counts["tele"] - kept > 0

            async def events_stored() -> bool:
                got = await Event.filter(device_id__startswith="f").count()
                return got == sent_flood.counts["evt"]

            await eventually(events_stored)
            # the events past 2 a second (bursts of 10) were counted, not dropped
            over = stats.over_rate["evt"]
            assert over >= sent_flood.counts["evt"] - 10 - 2 * 6 and over > 0
            assert stats.rejected.keys() == {"rate_limited"}

            async def calm_stored() -> bool:
                tele = await Telemetry.filter(device_id__startswith="c").count()
                evt = await Event.filter(device_id__startswith="c").count()
                return tele == sent_calm.counts["tele"] and evt == sent_calm.counts["evt"]

            await eventually(calm_stored)
