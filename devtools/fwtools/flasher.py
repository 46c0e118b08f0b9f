"""Flashing badges through esptool's Python API: one badge (:func:`flash_badge`) or many in
parallel (:func:`flash_many`), each with its own log and progress.

For each badge: connect and check the chip is an ESP32-S3, (erase when asked: the stub loader
alone can), write MicroPython's release binary at 0x0 and the filesystem image (the build
plus the badge's provisioning bundle) at the vfs partition, verify both by MD5, reset. esptool
logs through one process-wide logger, so a router sends each thread's messages to its badge.
"""

import contextlib
import dataclasses
import glob
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import esptool
from esptool import cmds
from esptool import loader as esptool_loader
from esptool.logger import TemplateLogger, log
from esptool.util import FatalError, NotImplementedInROMError
from serial import SerialException

from crmsensor.errors import CrmsError

CHIP = "ESP32-S3"
Image = tuple[int, bytes]  # (flash offset, bytes)
Progress = Callable[[int, int], None]  # (bytes done, bytes total) of the current region


class FlashError(CrmsError):
    """Flashing one badge failed; the message says why in the bench's words."""


@dataclass(frozen=True)
class FlashResult:
    port: str
    ok: bool
    seconds: float
    bytes_written: int
    error: str | None = None
    mac: str | None = None
    log_path: Path | None = None


def expand_ports(ports: Iterable[str]) -> list[str]:
    """``--port`` values: device paths, globs (``/dev/ttyACM*``) and pyserial URLs."""
    out: list[str] = []
    for p in ports:
        if "://" in p or not any(c in p for c in "*?["):
            out.append(p)
            continue
        found = sorted(glob.glob(p))
        if not found:
            raise FlashError(f"no serial port matches {p!r}")
        out += found
    if len(set(out)) != len(out):
        raise FlashError("a port is given twice")
    return out


# --- esptool's log, per thread -------------------------------------------------------------


class _BadgeLog:
    def __init__(self, logger: logging.Logger, progress: Progress | None) -> None:
        self.logger = logger
        self.progress = progress


_current = threading.local()


class _Router(TemplateLogger):  # type: ignore[misc]  # esptool ships no types
    """esptool's logger: each thread's messages go to the badge that thread flashes."""

    def _badge(self) -> _BadgeLog | None:
        return getattr(_current, "badge", None)

    def print(self, *args: object, **kwargs: object) -> None:
        b = self._badge()
        text = " ".join(str(a) for a in args).strip()
        if b is not None and text:
            b.logger.info(text)

    def note(self, message: str) -> None:
        if (b := self._badge()) is not None:
            b.logger.info("note: %s", message)

    def warning(self, message: str) -> None:
        if (b := self._badge()) is not None:
            b.logger.warning(message)

    def error(self, message: str) -> None:
        if (b := self._badge()) is not None:
            b.logger.error(message)

    def stage(self, finish: bool = False) -> None:
        pass

    def progress_bar(
        self, cur_iter: int, total_iters: int, prefix: str = "", suffix: str = "",
        bar_length: int = 30,
    ) -> None:  # fmt: skip
        b = self._badge()
        if b is not None and b.progress is not None:
            b.progress(cur_iter, total_iters)

    def set_verbosity(self, verbosity: str) -> None:
        pass


class _UntracedHex:
    """Stands in for esptool's HexFormatter, which only ever fills ``--trace`` lines: esptool
    builds those f-strings for every packet even with tracing off, and formatting each packet
    as hex was most of its CPU time per image (measured with cProfile). We never trace."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __format__(self, spec: str) -> str:
        return ""


_router = _Router()
_install_lock = threading.Lock()
_installed = False


def _install_router() -> None:
    global _installed
    with _install_lock:
        if not _installed:
            log.set_logger(_router)  # once: the installed adapter has no set_logger itself
            esptool_loader.HexFormatter = _UntracedHex
            _installed = True


# --- one badge -----------------------------------------------------------------------------


def _port_problem(port: str, text: str) -> FlashError | None:
    """The bench's words for a port that could not be opened (pyserial's errno text)."""
    if "Errno 2]" in text or "No such file" in text or "Connection refused" in text:
        return FlashError(f"{port}: no such port")
    # a serial port another program holds; a rig or RFC 2217 server that serves one client
    busy = ("Errno 16]", "busy", "exclusively lock", "socket disconnected", "Connection reset")
    if any(b in text for b in busy):
        return FlashError(f"{port}: port busy (another program has it open)")
    if "Errno 13]" in text or "Permission denied" in text:
        return FlashError(f"{port}: permission denied (is your user in the dialout group?)")
    return None


def _connect(port: str, attempts: int) -> esptool.ESPLoader:
    # at the ROM's own rate, as esptool's command line does; faster after the handshake
    try:
        return cmds.detect_chip(
            port, esptool.ESPLoader.ESP_ROM_BAUD, "default-reset", connect_attempts=attempts
        )
    except (SerialException, FatalError, OSError) as exc:
        problem = _port_problem(port, str(exc))
        if problem is not None:
            raise problem from None
        if isinstance(exc, SerialException | OSError):
            raise FlashError(f"{port}: cannot open: {exc}") from None
        raise FlashError(
            f"{port}: no ESP32 bootloader answered ({exc}); is the badge in download mode "
            "and the port free?"
        ) from None


def flash_badge(
    port: str,
    images: Sequence[Image],
    *,
    erase: bool = False,
    stub: bool = True,
    baud: int = 460800,
    attempts: int = 3,
    logger: logging.Logger | None = None,
    progress: Progress | None = None,
) -> FlashResult:
    """Flash ``images`` into the badge on ``port``; raise :class:`FlashError` on failure."""
    _install_router()
    logger = logger or logging.getLogger(f"crmsensor.flash.{port}")
    _current.badge = _BadgeLog(logger, progress)
    t0 = time.monotonic()
    esp = None
    try:
        esp = _connect(port, attempts)
        if esp.CHIP_NAME != CHIP:
            raise FlashError(f"{port}: wrong chip: {esp.CHIP_NAME}, expected {CHIP}")
        mac = ":".join(f"{b:02x}" for b in esp.read_mac())
        if stub:
            esp = cmds.run_stub(esp)
        if baud != esp.ESP_ROM_BAUD:
            esp.change_baud(baud)
        cmds.attach_flash(esp)
        flash_size = cmds.detect_flash_size(esp)
        if flash_size is not None:
            capacity = int(flash_size.rstrip("MB")) * 1024 * 1024
            for offset, data in images:
                if offset + len(data) > capacity:
                    raise FlashError(
                        f"{port}: {len(data):,} bytes at {offset:#x} do not fit the badge's "
                        f"{flash_size} flash"
                    )
        if erase:
            try:
                cmds.erase_flash(esp)
            except NotImplementedInROMError:
                raise FlashError(
                    f"{port}: erasing needs esptool's stub loader (do not combine --erase "
                    "with --no-stub)"
                ) from None
        addr_data = list(images)
        cmds.write_flash(esp, addr_data, compress=True, no_progress=progress is None)
        cmds.verify_flash(esp, addr_data)
        cmds.reset_chip(esp, "hard-reset")
        logger.info("flashed and verified %d regions in %.1f s", len(images), time.monotonic() - t0)
        return FlashResult(
            port, True, time.monotonic() - t0, sum(len(d) for _, d in images), mac=mac
        )
    except FatalError as exc:
        raise FlashError(f"{port}: {exc}") from None
    finally:
        _current.badge = None
        if esp is not None:
            # closing a port that failed must not hide why it failed
            with contextlib.suppress(Exception):
                esp._port.close()


# --- many badges ---------------------------------------------------------------------------


def flash_many(
    ports: Sequence[str],
    images_for: Callable[[str], Sequence[Image]],
    log_dir: Path,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    **options: Any,
) -> list[FlashResult]:
    """Flash every port in parallel (a thread each: the link to each badge is the bottleneck,
    esptool needs under a second of CPU per image here), each with ``images_for(port)`` and a
    log file in ``log_dir``; one badge's failure does not stop the others. Results in port
    order."""
    log_dir.mkdir(parents=True, exist_ok=True)

    def one(port: str) -> FlashResult:
        name = port.replace("://", "_").replace("/", "_").replace(":", "_").strip("_")
        path = log_dir / f"{name}.log"
        logger = logging.getLogger(f"crmsensor.flash.{name}")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        handler = logging.FileHandler(path, mode="w")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        t0 = time.monotonic()
        try:
            images = images_for(port)
            report = (lambda done, total: progress(port, done, total)) if progress else None
            result = flash_badge(port, images, logger=logger, progress=report, **options)
            return dataclasses.replace(result, log_path=path)
        except CrmsError as exc:
            logger.error("%s", exc)
            return FlashResult(port, False, time.monotonic() - t0, 0, str(exc), log_path=path)
        except Exception as exc:  # a bug must not hide the other badges' results
            logger.exception("internal error")
            return FlashResult(
                port, False, time.monotonic() - t0, 0, f"{port}: internal error: {exc!r}",
                log_path=path,
            )  # fmt: skip
        finally:
            logger.removeHandler(handler)
            handler.close()

    with ThreadPoolExecutor(max_workers=max(1, len(ports))) as pool:
        return list(pool.map(one, ports))
