"""The badge's update, applied by its own code under the MicroPython unix port: the power is
cut at every step of the apply sequence and the badge always boots a working version, the
recordings untouched; the cut update resumes and completes."""

import json
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from crmsensor import release_keys as rk
from devtools.fwtools.bundle import app_bundle
from devtools.fwtools.runner import micropython_command, micropython_env

HERE = Path(__file__).parent
PASS = b"correct horse battery"


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two signed releases of the real firmware (0.2.0 and 0.3.0, compiled for x64)."""
    d = tmp_path_factory.mktemp("ota")
    key = rk.new_key(d / "release.pem", PASS)
    trusted = d / "trusted_keys.json"
    trusted.write_text(json.dumps([rk.trusted_entry(key.public_key())]))
    for n, version in enumerate(("0.2.0", "0.3.0"), start=1):
        bundle = d / f"app-{version}.tar"
        bundle.write_bytes(app_bundle(version, "x64", trusted))
        body, sig = rk.sign_release(
            bundle, key, version=version, kind="badge-app", hw=["sim"], min_version="0.1.0"
        )
        args = {"release": n, "version": version, "url": "http://127.0.0.1:9/",
                "manifest": body.decode(), "sig": sig}  # fmt: skip
        (d / f"args-{version}.json").write_text(json.dumps(args))
    return d


def _mp(script: str, *args: str) -> list[str]:
    return micropython_command(HERE / script, list(args))


def boot(root: Path, confirm: bool = False) -> tuple[str, ...]:
    proc = subprocess.run(
        _mp("mp_ota_boot.py", str(root), *(["confirm"] if confirm else [])),
        env=micropython_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = [x for x in proc.stdout.splitlines() if x.startswith("BOOT ")][-1]
    return tuple(line.split()[1:])


def apply(kit: Path, root: Path, version: str, stop: int = -1, current: str = "0.1.0") -> str:
    """Run the update's steps; with ``stop``, kill the badge (SIGKILL) at that step and
    return the step's name; else return the last line."""
    cmd = _mp("mp_ota_steps.py", str(root), str(kit / f"args-{version}.json"),
              str(kit / f"app-{version}.tar"), str(stop), current)  # fmt: skip
    proc = subprocess.Popen(cmd, env=micropython_env(), stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if stop >= 0 and line.startswith(f"STEP {stop} "):
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                return line.split(" ", 2)[2].strip()
            if line.startswith("DONE"):
                proc.wait(10)
                return line.strip()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    raise AssertionError(f"the update stopped early (exit {proc.wait(10)})")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def test_a_power_cut_at_any_step_of_an_update_leaves_a_bootable_badge(
    kit: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base"
    base.mkdir()
    shutil.copy(kit / "trusted_keys.json", base)
    sd = base / "sd"  # recordings waiting for upload: an update never touches them
    sd.mkdir()
    (sd / "r-0001.wav").write_bytes(b"RIFF" + bytes(4000))
    (sd / "index.json").write_text('{"r-0001": {"acked": false}}')
    recordings = _files(sd)
    assert boot(base) == ("None", "0.1.0", "False", "None")  # the factory app
    assert apply(kit, base, "0.2.0") == "DONE a 0.2.0"
    assert boot(base) == ("a", "0.2.0", "False", "None")

    # Every step of the next update, from a full run
    dry = tmp_path / "dry"
    shutil.copytree(base, dry)
    proc = subprocess.run(
        _mp("mp_ota_steps.py", str(dry), str(kit / "args-0.3.0.json"),
            str(kit / "app-0.3.0.tar"), "-1", "0.2.0"),
        env=micropython_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    steps = [x.split(" ", 2)[2] for x in proc.stdout.splitlines() if x.startswith("STEP ")]
    size = (kit / "app-0.3.0.tar").stat().st_size
    assert steps[:4] == ["checked", f"downloaded {size // 2}", f"downloaded {size}", "verified"]
    assert sum(s.startswith("unpacked crms/") for s in steps) >= 20
    assert steps[-3:] == ["trial set", "trial booted", "confirmed"]

    for k, name in enumerate(steps):
        root = tmp_path / f"cut-{k}"
        shutil.copytree(base, root)
        assert apply(kit, root, "0.3.0", stop=k, current="0.2.0") == name
        first, second = boot(root), boot(root)  # the trial, if any, never confirms
        old = ("a", "0.2.0", "False")
        if k < steps.index("trial set"):
            assert first[:3] == second[:3] == old, name
        elif name == "trial set":
            assert first == ("b", "0.3.0", "True", "None")
            assert second == (*old, "rolled_back")  # tried once, not confirmed: given up
        elif name == "trial booted":
            assert first == (*old, "rolled_back")
        else:  # confirmed
            assert first == second == ("b", "0.3.0", "False", "None")
        assert _files(root / "sd") == recordings, name
        if name != "confirmed":
            # the same update again: it resumes (the download, or from the start) and lands
            assert apply(kit, root, "0.3.0", current="0.2.0") == "DONE b 0.3.0", name
            assert boot(root)[:3] == ("b", "0.3.0", "False"), name


def test_the_badge_refuses_an_update_that_does_not_fit_and_trusts_its_slots_keys(
    micropython, kit: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from devtools.fwtools import flashimage

    # A flash too small for the bundle and its unpacked files
    small = tmp_path / "small.img"
    small.write_bytes(flashimage.build({"trusted_keys.json": (kit / "trusted_keys.json")
                                        .read_bytes()}, 128 * 1024))  # fmt: skip
    proc = micropython(HERE / "mp_ota_check.py", "/", "--image", str(small),
                       str(kit / "args-0.3.0.json"))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "args-0.3.0.json refused: does not fit:" in proc.stdout, proc.stdout

    # Rotation: the running slot's list (key B) is the one checked, not the factory's (A)
    new = rk.new_key(tmp_path / "new.pem", PASS)
    root, slot = tmp_path / "root", tmp_path / "root" / "app_a"
    slot.mkdir(parents=True)
    shutil.copy(kit / "trusted_keys.json", root)  # the factory's: the old key
    (slot / "trusted_keys.json").write_text(json.dumps([rk.trusted_entry(new.public_key())]))
    bundle = kit / "app-0.3.0.tar"
    body, sig = rk.sign_release(bundle, new, version="0.3.0", kind="badge-app", hw=["sim"],
                                min_version="0.1.0")  # fmt: skip
    args = json.loads((kit / "args-0.3.0.json").read_text())  # signed with the old key
    (tmp_path / "by-new.json").write_text(json.dumps({**args, "manifest": body.decode(),
                                                      "sig": sig}))  # fmt: skip
    (tmp_path / "by-old.json").write_text(json.dumps(args))
    files = [str(tmp_path / "by-new.json"), str(tmp_path / "by-old.json")]
    proc = micropython(HERE / "mp_ota_check.py", str(root), "--slot", str(slot), *files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "by-new.json ok 0.3.0" in proc.stdout, proc.stdout
    assert "by-old.json refused: signed by an untrusted key" in proc.stdout, proc.stdout
    proc = micropython(HERE / "mp_ota_check.py", str(root), *files)  # the factory app: A
    assert "by-new.json refused: signed by an untrusted key" in proc.stdout, proc.stdout
    assert "by-old.json ok 0.3.0" in proc.stdout, proc.stdout
