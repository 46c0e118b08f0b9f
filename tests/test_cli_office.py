"""``crmsensor fleet user|token|org|region|station|device`` as an operator runs them: the web
office's first admin and tokens from the console, the hierarchy built and a device moved and
decommissioned; every mistake is one line naming it, exit code 1, nothing changed."""

import subprocess
import sys
from pathlib import Path

from cli.dbrun import run_db
from fleet.db import sqlite_url
from fleet.devices.models import Device
from fleet.hierarchy.models import Station
from fleet.office import accounts
from fleet.office.models import ApiToken, User

BIN = str(Path(sys.executable).parent / "crmsensor")


def run(db: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN, "fleet", *args, "--db", db], input=stdin, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


def test_users_tokens_and_their_mistakes(tmp_path: Path) -> None:
    db = sqlite_url(str(tmp_path / "fleet.sqlite3"))
    ok = run(db, "user", "add", "ana", "--role", "station_manager", "--scope", "station:st-1",
             "--password-stdin", stdin="a long enough password\n")  # fmt: skip
    assert ok.returncode == 0 and "station_manager @ station:st-1" in ok.stdout, ok.stderr
    for args, stdin, why in (
        (("user", "add", "ana", "--role", "viewer"), "", "exists already"),
        (("user", "add", "bo", "--role", "viewer", "--password-stdin"), "short\n", "at least 10"),
        (("user", "add", "cy", "--role", "viewer", "--scope", "planet:3"), "", "scope must be"),
        (("user", "add", "Bad Name", "--role", "viewer"), "", "user name must be"),
        (("token", "create", "t", "--user", "nobody"), "", "no user 'nobody'"),
        (("token", "revoke", "t", "--user", "ana"), "", "no live token"),
    ):
        bad = run(db, *args, stdin=stdin)
        assert bad.returncode != 0 and why in bad.stderr, (args, bad.stderr)
        assert "Traceback" not in bad.stderr
    token = run(db, "token", "create", "cron", "--user", "ana").stdout.strip()
    assert token.startswith("crms_")
    listed = run(db, "user", "list").stdout
    assert "ana" in listed and "active" in listed

    async def state() -> tuple[list[str], str, bool]:
        names = sorted(await User.all().values_list("name", flat=True))
        t = await ApiToken.get(name="cron")
        principal = await accounts.token_principal(token, "127.0.0.1", t.created_at)
        return names, t.token_hash, principal is not None

    names, stored, works = run_db(db, state)
    assert names == ["ana"] and works and token not in stored  # only its hash is kept
    assert run(db, "token", "revoke", "cron", "--user", "ana").returncode == 0
    assert run(db, "user", "disable", "ana").returncode == 0
    assert "disabled" in run(db, "user", "list").stdout


def test_hierarchy_and_devices_from_the_console(tmp_path: Path) -> None:
    db = sqlite_url(str(tmp_path / "fleet.sqlite3"))
    assert "organisation 1: acme" in run(db, "org", "add", "acme").stdout
    assert "region 1: north" in run(db, "region", "add", "north", "--org", "1").stdout
    done = run(db, "station", "set", "st-1", "--region", "1", "--tz", "Europe/Moscow",
               "--hours", "06:00-22:00")  # fmt: skip
    assert done.returncode == 0, done.stderr
    for args, why in (
        (("region", "add", "south", "--org", "9"), "no organisation 9"),
        (("org", "add", "acme"), "exists already"),
        (("station", "set", "st-2", "--tz", "Mars/Olympus"), "unknown time zone"),
        (("station", "set", "st-2", "--hours", "25:00-26:00"), "opening_hours"),
        (("device", "move", "badge-0404", "--station", "st-1"), "no device"),
    ):
        bad = run(db, *args)
        assert bad.returncode == 1 and why in bad.stderr, (args, bad.stderr)
    assert run(db, "register", "badge-0001", "--kind", "badge", "--station", "st-1").returncode == 0
    assert run(db, "device", "move", "badge-0001", "--station", "st-2").returncode == 0
    assert "decommissioned" in run(db, "device", "decommission", "badge-0001").stdout

    async def state() -> tuple[str | None, bool, str]:
        d = await Device.get(id="badge-0001")
        st = await Station.get(id="st-1")
        return d.station_id, d.decommissioned_at is not None, st.timezone  # type: ignore[attr-defined]

    assert run_db(db, state) == ("st-2", True, "Europe/Moscow")
