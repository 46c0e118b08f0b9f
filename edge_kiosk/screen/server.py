"""The screen's local web server: the page Chromium shows in kiosk mode, and its API, on
loopback only.

- ``GET /``, ``/static/...``: the page (edge_kiosk/screen/static/);
- ``GET /api/state``: the scenario playing now (:func:`crmsensor.protocol.screen.active` over
  the plan on disk, at the kiosk's local time, corrected when its clock is off the fleet's),
  its playlist limited to the files on disk, and the customer at the desk if any;
- ``GET /api/events``: Server-Sent Events as they happen (``session`` start and end from the
  agent's detector, ``plan`` when a new plan is in place), so the survey is on screen within
  a frame or two of the detector's decision;
- ``GET /media/<sha256>``: a file (HTTP Range, as video elements ask);
- ``POST /api/rating``, ``POST /api/play``: the customer's answers and each ad shown, handed
  to the agent (answers kept on disk and sent through its outbox; plays tallied per hour:
  edge_kiosk/screen/plays.py).

A tap storm is absorbed here (:class:`RatingGate`): one rating per session, and without a
session one per ``cooldown_s``; the rest are answered 409 and counted, never sent.
"""

import json
import logging
import mimetypes
import queue
import re
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from crmsensor.errors import ProtocolError
from crmsensor.protocol.messages import check_rating
from crmsensor.protocol.screen import active, local_time
from edge_kiosk.screen.plays import check_page_play
from edge_kiosk.screen.store import ScreenStore

log = logging.getLogger("edge_kiosk.screen")

STATIC = ("index.html", "screen.js", "screen.css")
MAX_BODY = 8192
_MEDIA = re.compile(r"^/media/([0-9a-f]{64})$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
KEEPALIVE_S = 15.0


class RatingGate:
    """One rating per kiosk session; without a session, one per ``cooldown_s``."""

    def __init__(self, cooldown_s: float = 10.0, remember: int = 256) -> None:
        self.cooldown_s = cooldown_s
        self.remember = remember
        self._answered: list[str] = []
        self._last_free = -1e9
        self.refused = 0
        self._lock = threading.Lock()

    def admit(self, session: str, now: float) -> str | None:
        """None when this rating may go; else why not."""
        with self._lock:
            if session:
                if session in self._answered:
                    self.refused += 1
                    return f"session {session} was already rated"
                self._answered = [*self._answered[-self.remember + 1 :], session]
                return None
            if now - self._last_free < self.cooldown_s:
                self.refused += 1
                return f"one rating without a session per {self.cooldown_s:.0f} s"
            self._last_free = now
            return None


class ScreenHub:
    """What the page is told: the open session, and events for its SSE listeners."""

    def __init__(self) -> None:
        self._listeners: list[queue.SimpleQueue[dict[str, Any] | None]] = []
        self._lock = threading.Lock()
        self.session: dict[str, Any] | None = None  # the customer at the desk

    def publish(self, event: dict[str, Any]) -> None:
        if event.get("type") == "session_start":
            self.session = {"session": event["session"], "since": time.time()}
        elif event.get("type") == "session_end":
            self.session = None
        with self._lock:
            for q in self._listeners:
                q.put(event)

    def listen(self) -> "queue.SimpleQueue[dict[str, Any] | None]":
        q: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        with self._lock:
            self._listeners.append(q)
        return q

    def leave(self, q: "queue.SimpleQueue[dict[str, Any] | None]") -> None:
        with self._lock:
            if q in self._listeners:
                self._listeners.remove(q)

    def close(self) -> None:
        with self._lock:
            for q in self._listeners:
                q.put(None)


def state(store: ScreenStore, hub: ScreenHub) -> dict[str, Any]:
    """``GET /api/state``: what to play now."""
    out: dict[str, Any] = {"plan": store.sha, "now": store.now(), "session": hub.session,
                           "scenario": None}  # fmt: skip
    plan = store.plan
    if plan is None:
        return out
    local = local_time(plan, store.now())
    out["local"] = local.isoformat()
    s = active(plan, local)
    if s is None:
        return out
    have = store.available()
    playlist = [{"content": i["content"], "seconds": i.get("seconds", 10),
                 "type": plan["content"][i["content"]]["type"], "url": f"/media/{i['content']}"}
                for i in s["playlist"] if i["content"] in have]  # fmt: skip
    out["scenario"] = {**{k: s[k] for k in ("id", "version", "name", "langs", "texts", "survey")},
                       "playlist": playlist}  # fmt: skip
    return out


class ScreenServer:
    """The server on ``127.0.0.1:port`` (0: a free port, see :attr:`port`), in its threads."""

    def __init__(
        self,
        store: ScreenStore,
        hub: ScreenHub,
        on_rating: Callable[[dict[str, Any]], None],
        on_play: Callable[[dict[str, Any]], None],
        port: int = 0,
        gate: RatingGate | None = None,
    ) -> None:
        self.store, self.hub = store, hub
        self.on_rating, self.on_play = on_rating, on_play
        self.gate = gate or RatingGate()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="screen",
                                        daemon=True)  # fmt: skip
        self._thread.start()
        log.info("screen at %s", self.url)

    def stop(self) -> None:
        self.hub.close()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: ScreenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "crmsensor-screen"

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

        def _json(self, status: int, obj: Any) -> None:
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/":
                path = "/static/index.html"
            if path.startswith("/static/") and path[8:] in STATIC:
                return self._static(path[8:])
            if path == "/api/state":
                return self._json(200, state(server.store, server.hub))
            if path == "/api/events":
                return self._events()
            m = _MEDIA.match(path)
            if m:
                return self._media(m.group(1))
            self._json(404, {"error": f"no {path[:80]}"})

        def _static(self, name: str) -> None:
            body = (resources.files("edge_kiosk.screen") / "static" / name).read_bytes()
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _media(self, sha: str) -> None:
            p = server.store.path(sha)
            if p is None:
                return self._json(404, {"error": f"content {sha[:12]} is not on this kiosk"})
            size = p.stat().st_size
            start, end, status = 0, size, 200
            m = _RANGE.match(self.headers.get("Range", ""))
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = min(size, int(m.group(2)) + 1) if m.group(2) else size
                else:
                    start = max(0, size - int(m.group(2)))
                if start >= end:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
            plan = server.store.plan or {"content": {}}
            kind = plan["content"].get(sha, {}).get("type", "application/octet-stream")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(end - start))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
            self.end_headers()
            with p.open("rb") as f:
                f.seek(start)
                left = end - start
                try:
                    while left > 0 and (chunk := f.read(min(left, 1 << 16))):
                        self.wfile.write(chunk)
                        left -= len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the player wanted another range

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            q = server.hub.listen()
            try:
                self.wfile.write(b"retry: 1000\n\n")
                self.wfile.flush()
                while True:
                    try:
                        event = q.get(timeout=KEEPALIVE_S)
                    except queue.Empty:
                        self.wfile.write(b": keepalive\n\n")
                        self.wfile.flush()
                        continue
                    if event is None:
                        return
                    data = json.dumps(event).encode()
                    self.wfile.write(b"event: " + event["type"].encode() + b"\ndata: " + data
                                     + b"\n\n")  # fmt: skip
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                server.hub.leave(q)
                self.close_connection = True

        def _body(self) -> dict[str, Any] | None:
            try:
                n = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                n = -1
            if not 0 < n <= MAX_BODY:
                self._json(400, {"error": f"send a JSON body of 1-{MAX_BODY} bytes"})
                return None
            try:
                obj = json.loads(self.rfile.read(n))
            except ValueError as exc:
                self._json(400, {"error": f"not JSON: {exc}"})
                return None
            if not isinstance(obj, dict):
                self._json(400, {"error": "send a JSON object"})
                return None
            return obj

        def do_POST(self) -> None:
            if self.path not in ("/api/rating", "/api/play"):
                return self._json(404, {"error": f"no {self.path[:80]}"})
            obj = self._body()
            if obj is None:
                return
            rating = self.path == "/api/rating"
            try:
                data = check_rating(obj, "rating") if rating else check_page_play(obj)
            except ProtocolError as exc:
                return self._json(400, {"error": str(exc)})
            if rating:
                why = server.gate.admit(data["session"], time.monotonic())
                if why is not None:
                    return self._json(409, {"error": why})
            (server.on_rating if rating else server.on_play)(data)
            self._json(int(HTTPStatus.ACCEPTED), {"ok": True})

    return Handler
