"""A simulated device's power: its process started again when the firmware resets the board.

On the badge ``machine.reset()`` reboots the chip; in the unix port the firmware's board
(firmware/crms/boards/sim.py) ends the process with exit code 3 instead, and this starts it
again with the same arguments, as the chip would boot. Any other exit (or :meth:`stop`) ends it,
unless it is to be restarted always (a service under systemd).
"""

import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from devtools import procs

RESET_EXIT = 3


class Rebooting:
    """``argv`` run with its output appended to ``log_file``, booted again on each reset."""

    def __init__(
        self,
        argv: Sequence[str],
        log_file: Path,
        env: dict[str, str] | None = None,
        always: bool = False,
    ):
        """``always``: start it again whatever its exit code (systemd's Restart=always, as
        the kiosk's unit has); else only after a reset (exit code 3)."""
        self.argv = list(argv)
        self.always = always
        self.log_file = log_file
        self.env = env
        self.boots = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> "Rebooting":
        self._thread = threading.Thread(target=self._run, name="rebooting", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.is_set():
            with self._lock:
                if self._stopped.is_set():
                    return
                self.proc = procs.spawn(self.argv, self.log_file, self.env)
                self.boots += 1
            if self.proc.wait() != RESET_EXIT and not self.always:
                return

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop it for good (``SIGKILL``: the power is cut)."""
        self._stopped.set()
        with self._lock:
            if self.proc is not None:
                procs.stop(self.proc, sig)
        if self._thread is not None:
            self._thread.join(10)
