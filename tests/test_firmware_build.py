"""``crmsensor firmware build``: the partition table read from the firmware binary, the
LittleFS image sized for the vfs partition, reproducible bytes, named errors; the image
mounted and imported from by the real MicroPython unix port."""

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from devtools.fwtools import build, flashimage, partitions, standin
from devtools.fwtools.partitions import DATA, Partition, PartitionTableError
from devtools.fwtools.runner import run_micropython

MPY_ARCH = {"xtensawin": 10, "x64": 2}  # MicroPython's MP_NATIVE_ARCH_* in .mpy headers


@pytest.fixture(scope="module")
def firmware(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fw") / "ESP32_GENERIC_S3-standin.bin"
    path.write_bytes(standin.firmware(app_kib=300))
    return path


@pytest.mark.parametrize("flash_mb", [4, 8, 16])
def test_the_layout_is_read_from_the_firmware_binary(flash_mb: int) -> None:
    table = partitions.from_firmware(standin.firmware(app_kib=8, flash_mb=flash_mb))
    assert table == standin.layout(flash_mb)
    vfs = partitions.vfs_partition(table)
    assert (vfs.offset, vfs.size) == (0x200000, flash_mb * 0x100000 - 0x200000)
    assert partitions.app_partition(table).offset == 0x10000


def _with_table(table: bytes) -> bytes:
    fw = bytearray(standin.firmware(app_kib=8))
    fw[partitions.TABLE_OFFSET : partitions.TABLE_OFFSET + len(table)] = table
    return bytes(fw)


def test_bad_partition_tables_are_named() -> None:
    good = partitions.encode(standin.layout(8))
    flipped = bytearray(good)
    flipped[40] ^= 0x01  # a bit of the second entry's offset
    with pytest.raises(PartitionTableError, match=r"MD5 .* does not match"):
        partitions.from_firmware(_with_table(bytes(flipped)))
    junk = bytearray(good)
    junk[32:34] = b"\x12\x34"
    with pytest.raises(PartitionTableError, match="magic 1234, expected aa50"):
        partitions.decode(bytes(junk))
    overlap = [Partition("a", DATA, 2, 0x9000, 0x8000), Partition("b", DATA, 1, 0xF000, 0x1000)]
    with pytest.raises(PartitionTableError, match="'a' and 'b' overlap"):
        partitions.decode(partitions.encode(overlap))
    no_vfs = partitions.decode(partitions.encode(standin.layout(8)[:3]))
    with pytest.raises(PartitionTableError, match="no data partition labelled 'vfs'"):
        partitions.vfs_partition(no_vfs)
    with pytest.raises(PartitionTableError, match="too short to hold a partition table"):
        partitions.from_firmware(b"\xe9" + b"\0" * 100)
    with pytest.raises(PartitionTableError, match="not an ESP32 firmware binary"):
        partitions.from_firmware(b"PK\x03\x04" + b"\0" * 0x9000)


def test_the_image_fills_the_vfs_partition_and_is_reproducible(firmware: Path) -> None:
    first = build.build(firmware)
    image = first.image()
    assert len(image) == first.vfs.size == 0x600000  # block count = partition size / 4096
    again = build.build(firmware).image()
    assert hashlib.sha256(again).digest() == hashlib.sha256(image).digest()
    files = first.files
    assert files["main.py"].startswith(b"# Badge entry point")  # run from source at boot
    assert "lib/umqtt/simple.mpy" in files and "crms/app.mpy" in files
    assert not any(n.endswith(".py") and n != "main.py" for n in files)
    # bytecode is portable; the viper kernels carry the target's native code
    assert files["crms/dsp/beam.mpy"][2] >> 2 == MPY_ARCH["xtensawin"]
    assert files["crms/app.mpy"][2] >> 2 == 0
    rig = build.build(firmware, arch="x64").files
    assert rig["crms/dsp/beam.mpy"][2] >> 2 == MPY_ARCH["x64"]
    assert rig["crms/app.mpy"] == files["crms/app.mpy"]
    manifest = first.manifest(image)
    assert manifest["image_sha256"] == hashlib.sha256(image).hexdigest()
    assert manifest["vfs"] == {"offset": 0x200000, "size": 0x600000}


def test_the_unix_port_mounts_the_image_and_runs_code_from_it(
    firmware: Path, tmp_path: Path
) -> None:
    result = build.build(firmware, arch="x64")
    img = tmp_path / "vfs.img"
    img.write_bytes(result.image({"config.json": b'{"device_id": "badge-0001"}'}))
    script = tmp_path / "probe.py"
    script.write_text(
        "import sys, os, vfs\n"
        "from crms.boards.blockdev import FileBlockDevice\n"
        f"vfs.mount(vfs.VfsLfs2(FileBlockDevice({str(img)!r})), '/flash')\n"
        "sys.path[:0] = ['/flash', '/flash/lib']\n"
        "for m in [k for k in sys.modules if k.startswith('crms')]:\n"
        "    del sys.modules[m]\n"
        "import crms.dsp.beam, crms.protocol\n"
        "print('from', crms.protocol.__file__, crms.dsp.beam.__file__)\n"
        "print(sorted(os.listdir('/flash')))\n"
        "print(open('/flash/config.json').read())\n"
    )
    proc = run_micropython(script)
    assert proc.returncode == 0, proc.stderr
    assert "from /flash/crms/protocol.mpy /flash/crms/dsp/beam.mpy" in proc.stdout
    assert "['config.json', 'crms', 'lib', 'loader.mpy', 'main.py', 'ussl.mpy']" in proc.stdout
    assert '"badge-0001"' in proc.stdout
    # a badge's build cannot run on this CPU: the native kernel is refused, as it should be
    xtensa = tmp_path / "xtensa.img"
    xtensa.write_bytes(build.build(firmware).image())
    script.write_text(script.read_text().replace(str(img), str(xtensa)))
    refused = run_micropython(script)
    assert refused.returncode != 0 and "incompatible .mpy" in refused.stdout + refused.stderr


def test_files_that_do_not_fit_and_oversized_firmware_are_named(
    firmware: Path, tmp_path: Path
) -> None:
    small = [*standin.layout(8)[:3], Partition("vfs", DATA, 0x81, 0x200000, 0x10000)]
    tiny = tmp_path / "tiny.bin"
    tiny.write_bytes(_with_table(partitions.encode(small)))
    with pytest.raises(build.BuildError, match="do not fit the 65,536-byte vfs partition"):
        build.build(tiny).image()
    big = tmp_path / "big.bin"
    big.write_bytes(firmware.read_bytes() + b"\0" * 0x200000)
    with pytest.raises(build.BuildError, match="runs past the app partition"):
        build.build(big)
    with pytest.raises(build.BuildError, match="arch must be one of"):
        build.collect("riscv")
    ok = build.build(firmware)
    with pytest.raises(build.BuildError, match=r"main\.py is part of the firmware"):
        ok.image({"main.py": b"print('hijack')"})


def test_cli_build_writes_the_image_and_names_a_missing_firmware(
    firmware: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(
        cli, ["firmware", "build", "--micropython", str(firmware), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert (out / "vfs.img").stat().st_size == 0x600000
    assert sorted(flashimage.read(out / "vfs.img")) == sorted(build.build(firmware).files)
    res = runner.invoke(cli, ["firmware", "build", "--micropython", str(tmp_path / "no.bin")])
    # a CrmsError: crmsensor's main() prints it as one line and exits 1
    assert isinstance(res.exception, build.BuildError) and "no.bin not found" in str(res.exception)
