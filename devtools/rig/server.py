"""One emulated badge on a TCP port: the ROM bootloader in download mode, the flashed firmware
(MicroPython unix port) after a reset into flash boot, and its console on the same socket.

``esptool --port socket://127.0.0.1:PORT ...`` flashes it (through esptool's stub flasher by
default, or the ROM alone with ``--no-stub``); :meth:`Rig.reset` is
the rig's reset line (with or without the boot strap held, as a real rig's relay board does:
over a TCP socket esptool cannot toggle DTR/RTS). One client at a time, like a serial port:
a second connection is closed at once.
"""

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from devtools.fwtools import partitions
from devtools.fwtools.runner import micropython_binary
from devtools.rig import slip
from devtools.rig.rom import Faults, Flash, RomBootloader

SHIM = Path(__file__).with_name("boot_shim.py")
RESET_EXIT = 3  # the unix port's board ends the process with it on machine.reset()


class Rig:
    def __init__(
        self,
        workdir: Path,
        flash_mb: int = 8,
        mac: str = "f412fa000001",
        name: str = "rig",
        pace: bool = True,
        port: int = 0,
        reset_on_close: bool = False,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.name = name
        self.pace = pace  # hold each request and reply for its time on a UART at rom.baud
        self.flash = Flash(workdir / "flash.bin", flash_mb * 1024 * 1024)
        self.faults = Faults()
        self.rom = RomBootloader(self.flash, bytes.fromhex(mac), self.faults)
        self.console_log = workdir / "console.log"
        self.scenario: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._client: socket.socket | None = None
        self._lock = threading.Lock()
        # back in download mode when the port closes, as a bench's auto-reset circuit does
        # on the next esptool run (the tests pull the lines themselves: Rig.reset)
        self.reset_on_close = reset_on_close
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, name=f"{name}-accept", daemon=True).start()

    @property
    def url(self) -> str:
        return f"socket://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # --- the serial port ------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                busy = self._client is not None
                if not busy:
                    self._client = conn
            if busy:
                conn.close()  # the port is open elsewhere
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        decoder = slip.Decoder()
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                t0 = time.monotonic()
                if self.running:
                    continue  # the console: nothing reads input (no REPL on the badge)
                baud = self.rom.baud  # the rate these bytes came at
                frames = [slip.encode(r) for p in decoder.feed(data) for r in self.rom.handle(p)]
                due = t0 + (len(data) * 10) / baud  # the request's time on the wire
                for frame in frames:  # each reply frame when the UART would have sent it
                    due += (len(frame) * 10) / self.rom.baud
                    left = due - time.monotonic()
                    if self.pace and left > 0:
                        time.sleep(left)
                    conn.sendall(frame)
        except OSError:
            pass
        finally:
            with self._lock:
                if self._client is conn:
                    self._client = None
            conn.close()
            if self.reset_on_close and not self._closed:
                self.reset(download=True)

    def _console(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        with self.console_log.open("ab") as log:
            for line in proc.stdout:
                log.write(line)
                log.flush()
                with self._lock:
                    client = self._client
                if client is not None:
                    with contextlib.suppress(OSError):  # the reader went away
                        client.sendall(line)
        # The firmware reset the chip (machine.reset(): exit code 3 in the unix port): it
        # boots from flash again, as the chip would. A stop or a crash leaves it off.
        if proc.wait() == RESET_EXIT and self._proc is proc and not self._closed:
            self.boot()

    # --- reset and boot -------------------------------------------------------------------

    def reset(self, download: bool = False) -> None:
        """Pulse the reset line; ``download`` holds the boot strap low (ROM download mode),
        else the chip boots from flash: the flashed firmware runs."""
        self.stop()
        self.rom = RomBootloader(self.flash, self.rom.mac, self.faults)
        if not download:
            self.boot()

    def boot(self) -> None:
        """Boot what is in flash: the vfs partition from the flashed partition table,
        mounted in place by the boot shim, /main.py run from it."""
        self.flash.mem.flush()
        table = partitions.from_firmware(self.flash.read(0, 0x9000))
        vfs = partitions.vfs_partition(table)
        args = [micropython_binary(), "-X", "heapsize=4M", str(SHIM)]
        args += [str(self.flash.path), str(vfs.offset), str(vfs.size)]
        if self.scenario is not None:
            args += ["--scenario", str(self.scenario)]
        with self.console_log.open("ab") as log:
            log.write(f"--- {self.name}: reset, booting from flash\n".encode())
        env = {"MICROPYPATH": ".frozen", "PATH": "/usr/bin:/bin"}
        self._proc = subprocess.Popen(
            args,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=self._console, args=(self._proc,), daemon=True).start()

    def stop(self) -> None:
        """Power the firmware off (the ROM stays: the flash keeps what was written)."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self) -> None:
        self.stop()
        self._closed = True
        self._listener.close()
        with self._lock:
            if self._client is not None:
                self._client.close()
        self.flash.close()

    def snapshot(self, dest: Path) -> Path:
        """A copy of the flash image as it is now."""
        self.flash.mem.flush()
        shutil.copyfile(self.flash.path, dest)
        return dest
