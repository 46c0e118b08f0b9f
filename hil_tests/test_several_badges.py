"""Several DUTs in one test: each flashed with its own identity in one ``badge flash`` run
(in parallel), each booting the firmware it was given and saying who it is; the flashed
config is the one its own bundle carried."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from devtools.sim import devices
from hil_tests.dut import Dut


async def test_each_badge_boots_with_its_own_identity(
    duts: list[Dut], micropython_bin: Path, tmp_path: Path
) -> None:
    assert len(duts) >= 2, "run with --hil-rigs 2 or more (or two --hil-port)"
    bundles = []
    for i, _dut in enumerate(duts):
        folder = tmp_path / f"bundle{i}"
        folder.mkdir()
        cfg = devices.badge_config(f"badge-08{i:02d}", "st-1", "127.0.0.1", 9)  # no broker
        (folder / "config.json").write_text(json.dumps(cfg))
        bundles.append(folder)
    for d in duts:
        d.reset(download=True)
    argv = [
        sys.executable,
        "-m",
        "cli.main",
        "badge",
        "flash",
        "--micropython",
        str(micropython_bin),
    ]
    argv += ["--arch", duts[0].arch, *duts[0].flash_args, "--build-dir", str(tmp_path / "build")]
    argv += ["--logs", str(tmp_path / "logs")]
    for d, b in zip(duts, bundles, strict=True):
        argv += ["--port", d.port, "--bundle", str(b)]
    out = await asyncio.to_thread(
        subprocess.run, argv, capture_output=True, text=True, timeout=600, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(duts)} flashed, 0 failed" in out.stderr
    for d in duts:
        d.reset()
    for i, d in enumerate(duts):
        await asyncio.to_thread(d.expect, rf"badge badge-08{i:02d} starting on board", 30)
        # its own config: the broker it was given (a closed port here), nobody else's
        await asyncio.to_thread(d.expect, r"uplink: connect failed", 20)
