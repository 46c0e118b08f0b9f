"""The light network simulator (``crmsensor sim fleet``, devtools/sim/fleet_load.py) against a
real Mosquitto and fleet: what it says it sent is what the fleet stored (events, telemetry,
recordings), badges and kiosks alike, in plain TCP and over TLS with client certificates
from the fleet CA; and its command line refuses bad arguments by name."""

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from devtools.broker import MosquittoProcess
from devtools.sim import fleet_load
from fleet.devices.models import Event, Telemetry
from fleet.devices.registry import DeviceSpec, register
from fleet.recordings.models import Recording
from tests.conftest import SQLITE_ONLY, RunningFleet, eventually, running_fleet
from tests.tls_site import fleet_settings, provisioned_site


@SQLITE_ONLY
async def test_what_it_sends_is_stored(fleet: RunningFleet, broker: MosquittoProcess) -> None:
    plan = fleet_load.LoadPlan(
        badges=12, kiosks=3, duration_s=6.0, tele_s=0.5, evt_s=0.5, upload_share=0.34,
        upload_every_s=2.0, upload_bytes=40_000, port=broker.config.port, prefix="t",
    )  # fmt: skip
    for device_id, kind in plan.device_ids():
        await register(DeviceSpec(device_id, kind))
    sent = await fleet_load.run_devices(plan, plan.device_ids())
    assert sent.connect_errors == 0
    assert sent.counts["evt"] > 50 and sent.counts["tele"] > 100 and sent.recordings >= 3

    async def stored() -> bool:
        return (
            await Event.filter(device_id__startswith="t").count() == sent.counts["evt"]
            and await Telemetry.filter(device_id__startswith="t").count() == sent.counts["tele"]
            and await Recording.filter(device_id__startswith="t").count() == sent.recordings
        )

    await eventually(stored)
    kinds = set(await Event.filter(device_id__startswith="tk").values_list("type", flat=True))
    assert kinds == {"session_start", "session_end"}
    assert fleet.ingest.stats.rejected.total() == 0


def test_bad_arguments_are_named() -> None:
    runner = CliRunner()
    got = runner.invoke(cli, ["sim", "fleet", "--prefix", "Bad!"])
    assert got.exit_code != 0 and "--prefix" in got.output
    got = runner.invoke(cli, ["sim", "fleet", "--broker", "nowhere"])
    assert got.exit_code != 0 and "--broker must be HOST:PORT" in str(got.exception or got.output)
    got = runner.invoke(cli, ["sim", "fleet", "--ca-dir", "."])
    assert got.exit_code != 0 and "--tls-dir" in got.output


async def test_over_tls_with_client_certificates(tmp_path: Path) -> None:
    plan = fleet_load.LoadPlan(badges=6, kiosks=2, duration_s=4.0, tele_s=0.5, evt_s=0.5,
                               upload_share=0.0, prefix="s")  # fmt: skip
    specs = [(DeviceSpec(d, kind), {}) for d, kind in plan.device_ids()]
    async with provisioned_site(tmp_path, specs) as site:
        certs = tmp_path / "sim-tls"
        fleet_load.provision(site.folder / "ca", "a test passphrase", [d for d, _ in
                             plan.device_ids()], certs)  # fmt: skip
        plan = replace(plan, port=site.broker.config.port, tls_dir=certs)
        async with running_fleet(fleet_settings(site, client_id="fleet-sim")) as fleet:
            sent = await fleet_load.run_devices(plan, plan.device_ids())
            assert sent.connect_errors == 0 and sent.counts["evt"] > 20

            async def stored() -> bool:
                return await Event.filter(device_id__startswith="s").count() == sent.counts["evt"]

            await eventually(stored)
            assert fleet.ingest.stats.rejected.total() == 0
