"""The screen's plan and files on the kiosk's disk, kept in step with the fleet.

A ``scenario`` command names a plan (its SHA-256) and where to fetch it. :meth:`ScreenStore.sync`
fetches it, checks it whole (crmsensor/protocol/screen.py), fetches the files it names that are
not on disk yet (each checked against its SHA-256, within the storage quota) after deleting the
files the new plan does not use, and makes it the current plan. A plan that fails its checks is
refused and the old one plays on; a plan whose files could not all be fetched plays with those
it has (``partial``, and the next command or restart fetches the rest). Offline, the screen
plays what is on disk.

Layout under ``root``: ``plan.json`` (the plan's exact bytes), ``plan.meta.json`` (its SHA-256
and the kiosk clock's offset from the fleet's), ``files/<sha256>``.
"""

import hashlib
import json
import logging
import os
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from crmsensor.errors import ProtocolError
from crmsensor.protocol.screen import MAX_PLAN_BYTES, check_plan, rank

log = logging.getLogger("edge_kiosk.screen")

CLOCK_OFF_S = 120.0  # a kiosk clock further than this from the fleet's is corrected
_CHUNK = 1 << 16


class Fetcher(Protocol):
    """How the store reaches the fleet (HTTPS in service; anything in tests)."""

    def get(self, url: str, sink: Callable[[bytes], None], limit: int) -> dict[str, str]:
        """Feed the body of ``url`` to ``sink`` (at most ``limit`` bytes, else ValueError);
        return the response's headers (lower-case names). OSError when it cannot."""
        ...


class UrlFetcher:
    """urllib over HTTPS, trusting the system's CAs and the fleet's own (``ca``)."""

    def __init__(self, ca: Path | None = None, timeout_s: float = 20.0) -> None:
        self.ctx = ssl.create_default_context()
        if ca is not None:
            self.ctx.load_verify_locations(cafile=str(ca))
        self.timeout_s = timeout_s

    def get(self, url: str, sink: Callable[[bytes], None], limit: int) -> dict[str, str]:
        req = urllib.request.Request(url, headers={"User-Agent": "crmsensor-kiosk"})
        try:
            ctx = self.ctx if url.startswith("https:") else None
            with urllib.request.urlopen(req, timeout=self.timeout_s, context=ctx) as r:
                got = 0
                while chunk := r.read(_CHUNK):
                    got += len(chunk)
                    if got > limit:
                        raise ValueError(f"larger than {limit} bytes")
                    sink(chunk)
                return {k.lower(): v for k, v in r.headers.items()}
        except urllib.error.HTTPError as exc:
            raise OSError(f"HTTP {exc.code} from {url.split('?')[0][-80:]}") from None
        except urllib.error.URLError as exc:
            raise OSError(f"{exc.reason}") from None


@dataclass
class SyncResult:
    """What became of a plan: ``state`` applied, partial (some files missing) or refused."""

    plan: str
    state: str
    missing: int = 0
    reason: str = ""

    def event(self) -> dict[str, Any]:
        """The ``screen`` event's data (docs/protocol.md)."""
        out: dict[str, Any] = {"plan": self.plan, "state": self.state}
        if self.missing:
            out["missing"] = self.missing
        if self.reason:
            out["reason"] = self.reason[:200]
        return out


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class ScreenStore:
    """The current plan and its files; :meth:`sync` moves to a new plan (one at a time)."""

    def __init__(self, root: Path, quota_bytes: int, fetcher: Fetcher) -> None:
        self.root = root
        self.files = root / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.quota = quota_bytes
        self.fetcher = fetcher
        self._lock = threading.Lock()
        self.plan: dict[str, Any] | None = None
        self.sha = ""
        self.url = ""  # where the plan came from (its files are beside it)
        self.offset_s = 0.0  # add to the kiosk's clock to get the fleet's
        self._load()

    def _load(self) -> None:
        try:
            raw = (self.root / "plan.json").read_bytes()
            meta = json.loads((self.root / "plan.meta.json").read_text())
            self.plan = check_plan(json.loads(raw))
            self.sha, self.offset_s = meta["sha"], float(meta.get("offset_s", 0.0))
            self.url = str(meta.get("url", ""))
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, ProtocolError) as exc:
            log.warning("the stored screen plan is unusable (%s); waiting for the next", exc)

    # --- what the screen plays ---------------------------------------------------------------

    def available(self) -> set[str]:
        """The files on disk, by SHA-256."""
        return {p.name for p in self.files.iterdir() if len(p.name) == 64}

    def path(self, sha: str) -> Path | None:
        p = self.files / sha
        return p if len(sha) == 64 and p.is_file() else None

    def now(self) -> float:
        """The fleet's clock, as far as this kiosk knows it (Unix seconds)."""
        return time.time() + self.offset_s

    # --- moving to a new plan ----------------------------------------------------------------

    def sync(self, sha: str, url: str) -> SyncResult:
        """Fetch the plan ``sha`` from ``url`` and what it needs; never raises."""
        with self._lock:
            try:
                return self._sync(sha, url)
            except (OSError, ValueError) as exc:
                log.warning("screen plan %s not fetched: %s", sha[:12], exc)
                return SyncResult(sha, "refused", reason=f"fetching the plan: {exc}")

    def _sync(self, sha: str, url: str) -> SyncResult:
        if sha == self.sha and self.plan is not None and not self._missing(self.plan):
            return SyncResult(sha, "applied")
        body = bytearray()
        headers = self.fetcher.get(url, body.extend, MAX_PLAN_BYTES)
        received = time.time()
        if hashlib.sha256(body).hexdigest() != sha:
            return SyncResult(
                sha, "refused", reason="the plan's SHA-256 differs from the command's"
            )
        try:
            plan = check_plan(json.loads(body))
        except (ValueError, ProtocolError) as exc:
            return SyncResult(sha, "refused", reason=f"bad plan: {exc}")
        offset = self._offset(headers.get("date"), received)
        base = url.rsplit("/", 1)[0] + "/content/"
        self._evict(set(plan["content"]))
        missing, reason = 0, ""
        for f in self._in_order(plan):
            if self.path(f) is not None:
                continue
            size = plan["content"][f]["size"]
            if self._used() + size > self.quota:
                missing += 1
                reason = f"storage quota of {self.quota // 2**20} MB reached"
                continue
            try:
                self._fetch_file(base + f, f, size)
            except (OSError, ValueError) as exc:
                missing += 1
                reason = f"{f[:12]}: {exc}"
                log.warning("screen file %s not fetched: %s", f[:12], exc)
        _write_atomic(self.root / "plan.json", bytes(body))
        meta = {"sha": sha, "url": url, "offset_s": offset}
        _write_atomic(self.root / "plan.meta.json", json.dumps(meta).encode())
        self.plan, self.sha, self.url, self.offset_s = plan, sha, url, offset
        log.info("screen plan %s: %d scenarios, %d files missing", sha[:12],
                 len(plan["scenarios"]), missing)  # fmt: skip
        return SyncResult(sha, "partial" if missing else "applied", missing, reason)

    def incomplete(self) -> bool:
        """Whether the current plan lacks files (the agent tries again now and then)."""
        return self.plan is not None and bool(self.url) and self._missing(self.plan) > 0

    def _missing(self, plan: dict[str, Any]) -> int:
        return sum(1 for f in plan["content"] if self.path(f) is None)

    @staticmethod
    def _offset(date_header: str | None, received: float) -> float:
        """The fleet's clock minus ours, when they differ by more than CLOCK_OFF_S."""
        if not date_header:
            return 0.0
        try:
            fleet = parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError):
            return 0.0
        off = fleet - received
        if abs(off) > CLOCK_OFF_S:
            log.warning("this kiosk's clock is %.0f s off the fleet's: schedules use the "
                        "fleet's", -off)  # fmt: skip
            return off
        return 0.0

    @staticmethod
    def _in_order(plan: dict[str, Any]) -> list[str]:
        """The plan's files, those of its highest-ranked scenarios first (under a tight quota
        the scenario most likely to play is the one that is whole)."""
        out: list[str] = []
        for s in sorted(plan["scenarios"], key=rank, reverse=True):
            out += [i["content"] for i in s["playlist"] if i["content"] not in out]
        return out

    def _used(self) -> int:
        return sum(p.stat().st_size for p in self.files.iterdir())

    def _evict(self, keep: set[str]) -> None:
        """Delete the files the new plan does not use (and leftovers of cut downloads)."""
        for p in self.files.iterdir():
            if p.name not in keep:
                p.unlink(missing_ok=True)
                log.info("screen file %s evicted: no scenario uses it", p.name[:12])

    def _fetch_file(self, url: str, sha: str, size: int) -> None:
        part = self.files / f"{sha}.part"
        digest = hashlib.sha256()
        with part.open("wb") as f:

            def sink(chunk: bytes) -> None:
                digest.update(chunk)
                f.write(chunk)

            self.fetcher.get(url, sink, size)
        if digest.hexdigest() != sha:
            part.unlink(missing_ok=True)
            raise ValueError("its SHA-256 differs from the plan's")
        os.replace(part, self.files / sha)
