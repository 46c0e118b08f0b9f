"""A Mosquitto process started with a rendered configuration, stopped for sure."""

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from crmsensor.errors import CrmsError, ToolMissingError
from devtools.broker.config import BrokerConfig


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def mosquitto_binary() -> str:
    """Path of the ``mosquitto`` executable (Debian puts it in /usr/sbin)."""
    found = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/sbin")
    if found is None:
        raise ToolMissingError("mosquitto not found: sudo apt-get install mosquitto")
    return found


class MosquittoProcess:
    """Run ``mosquitto -c CONF`` until :meth:`stop`; usable as a context manager."""

    def __init__(self, config: BrokerConfig) -> None:
        self.config = config
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The broker's process id while it runs."""
        return self._proc.pid if self._proc else None

    def start(self, timeout: float = 10.0) -> None:
        """Start the broker and wait until its listener accepts connections."""
        self._proc = subprocess.Popen(
            [mosquitto_binary(), "-c", str(self.config.conf_file)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode() if self._proc.stderr else ""
                raise CrmsError(f"mosquitto exited at start: {err.strip()} {self._log_tail()}")
            try:
                with socket.create_connection((self.config.host, self.config.port), 0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise CrmsError(f"mosquitto did not listen on port {self.config.port} in {timeout} s")

    def reload(self) -> None:
        """SIGHUP: Mosquitto re-reads its ACL file (and, for new connections, what the
        installed version re-reads of its TLS files; see docs/operations.md)."""
        if self._proc is None or self._proc.poll() is not None:
            raise CrmsError("mosquitto is not running")
        self._proc.send_signal(signal.SIGHUP)

    def _log_tail(self) -> str:
        path: Path = self.config.log_file
        return path.read_text()[-500:] if path.exists() else ""

    def stop(self) -> None:
        """Stop the broker (SIGTERM, then SIGKILL after 5 s); idempotent."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stderr:
            self._proc.stderr.close()
        self._proc = None

    def kill(self) -> None:
        """Kill the broker abruptly (SIGKILL), as a crash would."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self.stop()

    def __enter__(self) -> "MosquittoProcess":
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
