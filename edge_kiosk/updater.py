"""The kiosk's update: a signed agent wheel installed into a fresh virtualenv beside the
running one, switched to by a symlink, started by systemd, kept when healthy, rolled back
when not (docs/protocol.md, "Releases and updates"; edge_kiosk/deploy/launch.py chooses the
version at each start).

Steps for an ``ota`` command (each reported as an ``ota`` event through the outbox):
1. the manifest: signed by a trusted key, ``kiosk-wheel``, this hardware, this version allowed;
2. downloading: HTTP(S) with Range into ``downloads/<sha>.part``, resumed after a cut;
3. verifying: size and SHA-256;
4. applying: ``venvs/<version>`` made (it sees the kiosk image's packages: the dependencies)
   and the wheel installed there without its dependencies;
5. rebooting: ``update.json`` says "try it once", ``current`` points at it, the agent exits
   with code 3 and systemd starts the new version on trial;
6. the new version, once its broker and camera work, confirms itself (:func:`confirm`).
Anything refused or failing before step 5 leaves the running version as it is.
"""

import logging
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmsensor import release_keys as rk
from crmsensor.errors import ProtocolError
from crmsensor.protocol.device import decode_ota, ota_progress
from edge_kiosk import __version__
from edge_kiosk.deploy.launch import point, read_state, write_state

log = logging.getLogger("edge_kiosk.updater")
KIND = "kiosk-wheel"
RESTART_EXIT = 3  # systemd starts the agent again (crmsensor-kiosk.service)
HEALTH_DEADLINE_S = 60.0  # a version on trial must have its broker and camera by then
_CHUNK = 1 << 16
_TRIES = 5


class UpdateError(Exception):
    pass


def running_version(root: Path) -> str:
    """The version ``current`` points at (the one running); "" before the first install."""
    try:
        return os.readlink(root / "current").rsplit("/", 1)[-1]
    except OSError:
        return ""


class KioskUpdater:
    """One update at a time, in a thread of its own. ``event(type, data)`` queues an event;
    ``restart()`` ends the agent with :data:`RESTART_EXIT`."""

    def __init__(
        self,
        root: Path,
        trusted: Path | None,
        hw: str,
        event: Callable[[str, dict[str, Any]], None],
        restart: Callable[[], None],
    ) -> None:
        self.root, self.trusted, self.hw = root, trusted, hw
        self.event, self.restart = event, restart
        self._busy = threading.Lock()

    def start(self, args: dict[str, Any]) -> tuple[bool, str | None]:
        """Check the command and its manifest now (the answer), then update in a thread."""
        try:
            decode_ota(args)
            if self.trusted is None:
                raise UpdateError("no trusted release keys (updates.trusted_keys)")
            m = rk.check_manifest(args["manifest"].encode(), args["sig"],
                                  rk.load_trusted(self.trusted))  # fmt: skip
            if m["kind"] != KIND:
                raise UpdateError(f"release for {m['kind']}, this is a kiosk")
            if self.hw not in m["hw"]:
                raise UpdateError(f"release not for hardware revision {self.hw}")
            if rk.version_tuple(__version__) < rk.version_tuple(m["min_version"]):
                raise UpdateError(f"needs version {m['min_version']} or newer first")
            if m["version"] != args["version"]:
                raise UpdateError("the command's version is not the manifest's")
        except (ProtocolError, rk.ReleaseKeyError, UpdateError) as exc:
            return False, str(exc)
        if not self._busy.acquire(blocking=False):
            return False, "an update is already running"
        threading.Thread(target=self._run, args=(args, m), name="update", daemon=True).start()
        return True, None

    def _report(self, args: dict[str, Any], state: str, pct: int | None = None,
                reason: str | None = None) -> None:  # fmt: skip
        self.event("ota", ota_progress(args["release"], args["version"], state, pct, reason))

    def _run(self, args: dict[str, Any], m: dict[str, Any]) -> None:
        try:
            wheel = self.download(args, m)
            self._report(args, "verifying")
            try:
                rk.check_bundle(m, wheel)
            except rk.ReleaseKeyError as exc:
                wheel.unlink()  # fetched whole next time
                raise UpdateError(str(exc)) from None
            self._report(args, "applying")
            self.install(wheel, m["version"])
            self._report(args, "rebooting")
            self.switch(m["version"], args["release"])
            self.restart()
        except (UpdateError, OSError, subprocess.SubprocessError) as exc:
            log.warning("update to %s failed: %s", args["version"], exc)
            self._report(args, "error", reason=str(exc)[:200])
        finally:
            self._busy.release()

    def download(self, args: dict[str, Any], m: dict[str, Any]) -> Path:
        """The wheel, fetched with Range so a cut download resumes; its pip-valid name."""
        folder = self.root / "downloads"
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{m['sha256'][:16]}.part"
        size, last = m["size"], ""
        for _ in range(_TRIES):
            have = part.stat().st_size if part.exists() else 0
            if have > size:
                part.unlink()
                have = 0
            if have == size:
                break
            req = urllib.request.Request(args["url"], headers={"Range": f"bytes={have}-"})
            try:
                with urllib.request.urlopen(req, timeout=20) as r, part.open("ab") as f:
                    if r.status == 200 and have:
                        raise UpdateError("the server ignored the range")
                    while chunk := r.read(_CHUNK):
                        f.write(chunk)
                self._report(args, "downloading", 100 * part.stat().st_size // size)
            except (urllib.error.URLError, OSError, UpdateError) as exc:
                last = str(exc)
        if not part.exists() or part.stat().st_size != size:
            raise UpdateError(f"download failed after {_TRIES} attempts: {last}")
        wheel = folder / f"crmsensor-{m['version']}-py3-none-any.whl"
        os.replace(part, wheel)
        return wheel

    def install(self, wheel: Path, version: str) -> Path:
        """``venvs/<version>``: a fresh virtualenv that sees the kiosk image's packages (the
        dependencies: a .pth file naming the image's site-packages), with the wheel."""
        venvs = self.root / "venvs"
        target = venvs / version  # used only once `current` points here, so a crash halfway
        if version == running_version(self.root):  # through leaves nothing that runs
            raise UpdateError(f"{version} is the running version")
        shutil.rmtree(target, ignore_errors=True)  # (scripts name their venv: no rename)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True,
                       capture_output=True)  # fmt: skip
        here = str(venvs)
        image = [p for p in sys.path if p.endswith("site-packages") and not p.startswith(here)]
        (site,) = (target / "lib").glob("python3*/site-packages")
        (site / "kiosk-image.pth").write_text("\n".join(image) + "\n")
        proc = subprocess.run(
            [str(target / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index",
             "--quiet", str(wheel)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            raise UpdateError(f"pip: {(proc.stderr or proc.stdout).strip()[-180:]}")
        wheel.unlink()
        return target

    def switch(self, version: str, release: int) -> None:
        """Try ``version`` at the next start (launch.py); ``current`` points at it now."""
        previous = running_version(self.root)
        state = read_state(self.root)
        state.update(trial=version, tried=0, previous=previous, release=release, last=None,
                     failed=None)  # fmt: skip
        write_state(self.root, state)
        point(self.root, version)


def healthy(broker: bool, camera: bool) -> bool:
    """A version on trial is kept once its broker link and camera both work."""
    return broker and camera


def confirm(root: Path, event: Callable[[str, dict[str, Any]], None]) -> None:
    """This version, on trial, is healthy: keep it, and report so."""
    state = read_state(root)
    if not state.get("trial"):
        return
    release, version = state.get("release"), state["trial"]
    state.update(trial=None, tried=0, last=None)
    write_state(root, state)
    event("ota", ota_progress(int(release or 1), version, "healthy"))


def fail(root: Path, reason: str) -> None:
    """This version, on trial, is not healthy: the next start (launch.py) rolls back."""
    state = read_state(root)
    if state.get("trial"):
        state["failed"] = reason[:200]
        write_state(root, state)


def report_last(root: Path, event: Callable[[str, dict[str, Any]], None]) -> None:
    """Report how the last update ended (a roll back launch.py did), once."""
    state = read_state(root)
    last = state.get("last")
    if isinstance(last, dict) and last.get("state") == "rolled_back":
        event("ota", ota_progress(int(last.get("release") or 1), str(last.get("version")),
                                  "rolled_back", None, last.get("reason")))  # fmt: skip
        state["last"] = None
        write_state(root, state)
