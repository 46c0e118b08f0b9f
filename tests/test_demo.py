"""The main job: the whole system on this machine, and Ctrl-C leaves nothing running."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = str(Path(sys.executable).parent / "crmsensor")


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(entry))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.add(k)
            todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_demo_serves_live_devices_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [BIN, "sim", "demo", "--http-port", "0", "--workdir", str(tmp_path / "demo")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = None
        lines = []
        assert proc.stdout is not None
        password = None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("fleet manager:"):
                url = line.split(":", 1)[1].strip()
            if line.startswith("web office:"):
                password = line.rsplit(" ", 1)[1].strip()
                break
        assert url and password, "".join(lines)
        # The demo runs on the secured broker, not an open development listener.
        assert any(line.startswith("broker:") and "mqtts://" in line for line in lines), lines
        conf = (tmp_path / "demo" / "broker" / "mosquitto.conf").read_text()
        assert "require_certificate true" in conf and "allow_anonymous false" in conf
        assert "allow_anonymous true" not in conf
        kids = _children(proc.pid)
        assert len(kids) >= 3  # mosquitto, the badge (micropython), the kiosk
        # Nothing without logging in; then the printed admin login opens the office.
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(url + "api/v1/devices", timeout=5)
        assert denied.value.code == 401
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        login = json.dumps({"name": "admin", "password": password}).encode()
        request = urllib.request.Request(
            url + "api/v1/session", login, {"Content-Type": "application/json"}
        )
        session = json.load(opener.open(request, timeout=5))
        assert session["user"] == "admin"
        page = opener.open(url + "devices", timeout=5).read().decode()
        assert "<table" in page and "badge-0001" in page

        deadline = time.monotonic() + 30
        devices: list[dict] = []
        while time.monotonic() < deadline:
            body = json.load(opener.open(url + "api/v1/devices", timeout=5))
            devices = body["items"]
            if len(devices) == 2 and all(d["online"] and d["tele"] for d in devices):
                break
            time.sleep(0.5)
        by_kind = {d["kind"]: d for d in devices}
        assert by_kind["badge"]["online"] and by_kind["kiosk"]["online"], devices
        assert "batt_pct" in by_kind["badge"]["tele"]
        assert by_kind["kiosk"]["tele"]["fps"] > 0

        # A badge told to reboot comes back, as hardware does: the demo starts it again.
        reboot = urllib.request.Request(
            url + "api/v1/devices/badge-0001/commands",
            json.dumps({"op": "reboot"}).encode(),
            {"Content-Type": "application/json", "X-CSRF-Token": session["csrf"]},
        )
        assert json.load(opener.open(reboot, timeout=5))["state"] == "queued"
        for line in proc.stdout:
            lines.append(line)
            if "badge-0001 rebooted; starting it again" in line:
                break
        else:
            raise AssertionError("".join(lines))
        deadline = time.monotonic() + 60
        back = None
        while time.monotonic() < deadline and not back:
            view = json.load(opener.open(url + "api/v1/devices/badge-0001", timeout=5))
            back = view["online"] and view["tele"].get("uptime_s", 99) < 30
            time.sleep(0.5)
        assert back, view
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "stopped." in out
    time.sleep(0.2)
    assert not [k for k in kids if _alive(k)], "processes left running after Ctrl-C"
