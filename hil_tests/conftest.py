"""The hardware-in-the-loop plugin: DUT fixtures on the emulated rig, or on real badges given
with ``--hil-port`` (tests needing them skip with the reason otherwise); each DUT's console
log is attached to the test's report (``--junitxml`` records it as a property)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.fwtools import standin
from hil_tests.dut import Dut, EmulatedDut, SerialDut

NO_BENCH = (
    "no real badge on this machine: run with --hil-port /dev/ttyACM0 (repeat for several) "
    "and --hil-micropython ESP32_GENERIC_S3-....bin"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hil", "hardware-in-the-loop")
    group.addoption("--hil-port", action="append", default=[],
                    help="serial port of a real badge (repeat for several)")  # fmt: skip
    group.addoption("--hil-micropython", default=None,
                    help="MicroPython's ESP32_GENERIC_S3 release .bin for real badges")  # fmt: skip
    group.addoption("--hil-rigs", type=int, default=2,
                    help="emulated badges for tests that use several DUTs")  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "hil_tests" in str(item.path):
            item.add_marker(pytest.mark.hil)


@pytest.fixture(params=["emulated", "bench"])
def duts(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[Dut]]:
    """The DUTs of one test: emulated rigs, or the real badges given with --hil-port."""
    made: list[Dut] = []
    if request.param == "bench":
        ports = request.config.getoption("--hil-port")
        if not ports:
            pytest.skip(NO_BENCH)
        made = [SerialDut(p, tmp_path / f"badge{i}", f"badge{i}") for i, p in enumerate(ports)]
    else:
        n = request.config.getoption("--hil-rigs")
        made = [
            EmulatedDut(tmp_path / f"rig{i}", f"rig{i}", f"f412fa0000{i + 1:02x}") for i in range(n)
        ]
    try:
        yield made
    finally:
        for d in made:
            request.node.user_properties.append((f"console:{d.name}", str(d.log_path)))
            d.close()


@pytest.fixture
def dut(duts: list[Dut]) -> Dut:
    return duts[0]


@pytest.fixture
def micropython_bin(request: pytest.FixtureRequest, dut: Dut, tmp_path: Path) -> Path:
    """The MicroPython binary to flash: the stand-in on the emulated rig, the release given
    with --hil-micropython on the bench."""
    if isinstance(dut, EmulatedDut):
        path = tmp_path / "ESP32_GENERIC_S3-standin.bin"
        path.write_bytes(standin.firmware(app_kib=200))
        return path
    given = request.config.getoption("--hil-micropython")
    if not given:
        pytest.skip("real badges need --hil-micropython ESP32_GENERIC_S3-....bin")
    return Path(given)
