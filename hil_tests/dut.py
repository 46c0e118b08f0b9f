"""A device under test (DUT): one badge on a rig, emulated or real, behind one interface.

- ``flash``: ``crmsensor badge flash`` on the DUT's port (the bench's own command);
- ``reset``: the reset line, with the boot strap held for download mode or not;
- ``expect``: wait for a pattern on the console, with a timeout, naming what was seen;
- ``power`` / ``charger`` / ``inject``: the rig's relays and the world the badge hears and
  feels.
  A real rig without them skips the test that needs them, saying so.
"""

import re
import subprocess
import sys
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path

import pytest

from devtools.rig.server import Rig
from devtools.sim.scenario import Scenario


class Dut(ABC):
    name: str
    port: str  # what esptool opens
    log_path: Path  # the console, as the test saw it
    arch: str  # mpy-cross target of what runs on it
    flash_args: tuple[str, ...] = ()  # extra `badge flash` options this rig needs

    def flash(
        self, micropython: Path, bundle: Path | None, build_dir: Path, *more: str
    ) -> subprocess.CompletedProcess[str]:
        """Run ``crmsensor badge flash`` for this DUT; the completed process (not checked)."""
        args = [sys.executable, "-m", "cli.main", "badge", "flash", "--port", self.port]
        args += ["--micropython", str(micropython), "--arch", self.arch]
        args += ["--build-dir", str(build_dir), "--logs", str(self.log_path.parent / "flash")]
        if bundle is not None:
            args += ["--bundle", str(bundle)]
        args += [*self.flash_args, *more]
        return subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)

    @abstractmethod
    def reset(self, download: bool = False) -> None: ...

    @abstractmethod
    def console(self) -> str:
        """Everything the console printed since the DUT was set up."""

    def expect(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        """Wait until ``pattern`` (a regex) appears on the console."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            found = rx.search(self.console())
            if found:
                return found
            if time.monotonic() > deadline:
                tail = self.console()[-1500:]
                raise AssertionError(
                    f"{self.name}: no {pattern!r} in {timeout:g} s; console:\n{tail}"
                )
            time.sleep(0.1)

    def power(self, on: bool) -> None:
        pytest.skip(f"{self.name}: this rig has no power relay")

    def charger(self, on: bool) -> None:
        pytest.skip(f"{self.name}: this rig has no charger relay")

    def inject(self, world: Scenario) -> None:
        pytest.skip(f"{self.name}: this rig cannot play a scenario to the badge")

    @abstractmethod
    def close(self) -> None: ...


class EmulatedDut(Dut):
    """A badge emulated by :class:`devtools.rig.server.Rig` (ROM bootloader, then the
    flashed firmware in the MicroPython unix port)."""

    arch = "x64"
    # `crmsensor badge flash`'s default path (esptool's stub flasher, 460800 baud), erasing
    # the whole flash first as the bench does for a new badge
    flash_args: tuple[str, ...] = ("--erase",)

    def __init__(self, workdir: Path, name: str, mac: str) -> None:
        self.rig = Rig(workdir, mac=mac, name=name)
        self.name = name
        self.port = self.rig.url
        self.log_path = self.rig.console_log
        self._control: Path | None = None

    def reset(self, download: bool = False) -> None:
        self.rig.reset(download)

    def console(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def power(self, on: bool) -> None:
        """Cut or restore the badge's power (it boots from flash when it comes back)."""
        if on:
            self.rig.reset()
        else:
            self.rig.stop()

    def charger(self, on: bool) -> None:
        if self._control is None:
            raise RuntimeError(f"{self.name}: inject a scenario before using the charger")
        self._control.write_text('{"charging": %s}' % ("true" if on else "false"))

    def inject(self, world: Scenario) -> None:
        """Play ``world`` to the badge from its next boot (its control file: the charger)."""
        doc = world.path.read_text()
        if '"control"' not in doc:
            raise ValueError("build the scenario with extra={'control': 'control.json'}")
        self._control = world.folder / "control.json"
        self._control.write_text("{}")
        self.rig.scenario = world.path

    def close(self) -> None:
        self.rig.close()


class SerialDut(Dut):
    """A real badge on a serial port of the bench (USB-UART with esptool's reset wiring:
    RTS to EN, DTR to GPIO0)."""

    arch = "xtensawin"

    def __init__(self, port: str, workdir: Path, name: str) -> None:
        import serial  # pyserial comes with esptool

        workdir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.port = port
        self.log_path = workdir / "console.log"
        self._serial = serial.Serial(port, 115200, timeout=0.2)
        self._serial.close()
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None

    def reset(self, download: bool = False) -> None:
        self._stop_reader()
        s = self._serial
        s.open()
        s.dtr = download  # GPIO0 low when held
        s.rts = True  # EN low: in reset
        time.sleep(0.1)
        s.rts = False
        time.sleep(0.05)
        s.dtr = False
        if download:
            s.close()  # esptool opens it next
            return
        self._stop.clear()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with self.log_path.open("ab") as log:
            while not self._stop.is_set():
                data = self._serial.read(4096)
                if data:
                    log.write(data)
                    log.flush()

    def _stop_reader(self) -> None:
        self._stop.set()
        if self._reader is not None:
            self._reader.join(2)
            self._reader = None
        if self._serial.is_open:
            self._serial.close()

    def console(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def close(self) -> None:
        self._stop_reader()
