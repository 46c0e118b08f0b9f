"""``crmsensor badge flash`` at the bench, on emulated badges: several in parallel with one
failure not stopping the others, the exit code counting failures, a log per badge; each bad
situation named (no such port, port busy, wrong chip, corrupted transfer, missing firmware)."""

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.fwtools import flashimage, partitions, standin
from devtools.rig.server import Rig
from devtools.sim import devices


@pytest.fixture(scope="module")
def firmware(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fw") / "ESP32_GENERIC_S3-standin.bin"
    path.write_bytes(standin.firmware(app_kib=120))
    return path


@pytest.fixture
def rigs(tmp_path: Path) -> Iterator[list[Rig]]:
    made = [Rig(tmp_path / f"rig{i}", mac=f"f412fa0000{i + 1:02x}") for i in range(3)]
    yield made
    for r in made:
        r.close()


def flash(
    tmp_path: Path, firmware: Path, *args: str, loader: str = "stub"
) -> subprocess.CompletedProcess[str]:
    """``crmsensor badge flash``: its default path (esptool's stub, 460800 baud, erasing the
    flash first), or the ROM alone at 2 Mbaud."""
    argv = [sys.executable, "-m", "cli.main", "badge", "flash", "--micropython", str(firmware)]
    argv += ["--arch", "x64"]
    argv += ["--erase"] if loader == "stub" else ["--no-stub", "--baud", "2000000"]
    argv += ["--build-dir", str(tmp_path / "build"), "--logs", str(tmp_path / "logs"), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)


def _bundle(folder: Path, device_id: str) -> Path:
    folder.mkdir(parents=True)
    cfg = devices.badge_config(device_id, "st-1", "127.0.0.1", 1883)
    (folder / "config.json").write_text(json.dumps(cfg))
    return folder


@pytest.mark.parametrize("loader", ["stub", "no-stub"])
def test_parallel_flashing_survives_one_failure_and_counts_them(
    tmp_path: Path, firmware: Path, rigs: list[Rig], loader: str
) -> None:
    rigs[1].faults.flip_address = 0x10000 + 777  # a byte goes bad on its way into flash
    rigs[2].faults.chip_id = 5  # an ESP32-C3 on the bench by mistake
    bundles = [_bundle(tmp_path / f"b{i}", f"badge-07{i:02d}") for i in range(3)]
    args = [
        a for r, b in zip(rigs, bundles, strict=True) for a in ("--port", r.url, "--bundle", str(b))
    ]
    vfs = partitions.vfs_partition(partitions.from_firmware(firmware.read_bytes()))
    spare = vfs.offset - 1  # the app partition's last byte: no image covers it
    rigs[0].flash.mem[spare] = 0  # erased only with --erase
    out = flash(tmp_path, firmware, *args, loader=loader)
    assert out.returncode == 2, out.stdout + out.stderr  # two badges failed
    text = " ".join(out.stderr.split())
    assert "1 flashed, 2 failed" in text and "flashing summary" in text
    assert "MD5 of file does not match data in flash" in text
    assert "wrong chip: ESP32-C3, expected ESP32-S3" in text
    # the good badge holds MicroPython at 0x0 and its own filesystem in the vfs partition
    fw = firmware.read_bytes()
    assert rigs[0].flash.read(0, len(fw)) == fw
    assert rigs[0].flash.read(spare, 1) == (b"\xff" if loader == "stub" else b"\0")
    image = rigs[0].snapshot(tmp_path / "rig0.bin").read_bytes()[vfs.offset : vfs.end]
    (tmp_path / "vfs.img").write_bytes(image)
    files = flashimage.read(tmp_path / "vfs.img")
    assert json.loads(files["config.json"])["device_id"] == "badge-0700"
    assert "crms/app.mpy" in files and "main.py" in files
    logs = sorted((tmp_path / "logs").glob("*.log"))
    assert len(logs) == 3
    assert any("Verification successful" in p.read_text() for p in logs)
    assert any("wrong chip" in p.read_text() for p in logs)


def test_bad_ports_and_inputs_are_named(tmp_path: Path, firmware: Path, rigs: list[Rig]) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    out = flash(tmp_path, firmware, "--port", f"socket://127.0.0.1:{dead}")
    assert out.returncode == 1 and "no such port" in out.stderr
    with socket.create_connection(("127.0.0.1", rigs[0].port)):  # someone has it open
        out = flash(tmp_path, firmware, "--port", rigs[0].url)
    assert out.returncode == 1 and "port busy" in out.stderr
    out = flash(tmp_path, tmp_path / "missing.bin", "--port", rigs[0].url)
    assert out.returncode == 1 and "missing.bin not found" in out.stderr
    out = flash(tmp_path, firmware, "--port", rigs[0].url, "--erase", loader="no-stub")
    assert out.returncode == 1 and "erasing needs esptool's stub loader" in out.stderr
    out = flash(tmp_path, firmware, "--port", rigs[0].url, "--bundle", str(tmp_path))
    assert out.returncode == 2 and "holds no config.json" in out.stderr  # a usage error
    out = flash(tmp_path, firmware, "--port", rigs[0].url, "--port", rigs[1].url,
                "--bundle", str(tmp_path))  # fmt: skip
    assert out.returncode == 2 and "1 --bundle for 2 ports" in out.stderr
    out = flash(tmp_path, firmware, "--port", "/dev/no-such-badge*")
    assert out.returncode == 1 and "no serial port matches" in out.stderr
