"""The kiosk screen's plan: what the fleet publishes, what the kiosk plays.

A plan is one kiosk's list of scenarios (survey steps and an ad playlist, each with its schedule
and priority) and the content files they use. The fleet builds it (fleet/surveys/publish.py),
the kiosk fetches it over HTTPS when a ``scenario`` command says so (edge_kiosk/screen/), and
both pick what plays at a given local time with :func:`active`: the web office's preview and the
kiosk's screen cannot disagree. Pure: no IO, no clock. docs/protocol.md, "The kiosk's screen".
"""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crmsensor.errors import ProtocolError
from crmsensor.protocol.messages import STAFF_ROLES, is_sha256
from crmsensor.protocol.schema import Field, validate

MAX_PLAN_BYTES = 512 * 1024
MAX_SCENARIOS = 50
CONTENT_TYPES = ("image/jpeg", "image/png", "video/mp4")
LANG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz-")
TEXT_KEYS = ("nps", "reasons", "staff", "cashier", "fuel_attendant", "shop", "comment", "send",
             "skip", "thanks", "unlikely", "likely")  # fmt: skip

SCHEDULE_FIELDS = (
    Field("first_day", str, nullable=True, lo=10, hi=10),  # YYYY-MM-DD, local; null: no start
    Field("last_day", str, nullable=True, lo=10, hi=10),  # inclusive; null: no end
    Field("days", list, lo=1, hi=7),  # ISO weekdays, 1 = Monday
    Field("hours", list, hi=8),  # ["HH:MM-HH:MM", ...]; empty: all day
)
SURVEY_FIELDS = (
    Field("trigger", str, required=True, choices=("start", "end", "never")),
    Field("delay_s", int, lo=0, hi=600),  # after the trigger
    Field("nps", bool),
    Field("reasons_below", int, lo=0, hi=11),  # reasons shown for an NPS below this
    Field("reasons", list, hi=10),  # [{"key", "text": {lang: label}}]
    Field("staff", list, hi=len(STAFF_ROLES)),
    Field("comment", bool),
    Field("timeout_s", int, lo=5, hi=600),  # back to ads when nobody answers
)
SCENARIO_FIELDS = (
    Field("id", str, required=True, lo=1, hi=40),
    Field("version", int, required=True, lo=1, hi=2**31),
    Field("name", str, hi=100),
    Field("priority", int, required=True, lo=0, hi=1000),
    Field("published", float, required=True, lo=0, hi=2**32),  # Unix s (ms): breaks a tie
    Field("schedule", dict, required=True),
    Field("langs", list, required=True, lo=1, hi=8),
    Field("texts", dict, required=True),  # {lang: {key: text}}
    Field("survey", dict, required=True),
    Field("playlist", list, hi=100),  # [{"content": sha256, "seconds": n}]
)
PLAN_FIELDS = (
    Field("kiosk", str, required=True, lo=2, hi=32),
    Field("issued", int, required=True, lo=0, hi=2**32 - 1),  # the fleet's clock, Unix s
    Field("tz", str, required=True, lo=1, hi=64),  # the station's time zone (IANA)
    Field("scenarios", list, required=True, hi=MAX_SCENARIOS),
    Field("content", dict, required=True),  # {sha256: {"type", "size", "seconds"}}
)
CONTENT_FIELDS = (
    Field("type", str, required=True, choices=CONTENT_TYPES),
    Field("size", int, required=True, lo=1, hi=2**40),
    Field("seconds", float, lo=0, hi=3600),  # a video's length
)


def _fail(what: str, msg: str) -> ProtocolError:
    return ProtocolError("schema", f"{what}: {msg}")


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(what, f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_hours(text: str, what: str) -> tuple[time, time]:
    """``"HH:MM-HH:MM"``: a window of local time; one that ends before it starts crosses
    midnight (``"22:00-06:00"``); ``"00:00-24:00"`` is the whole day."""
    try:
        a, b = text.split("-")
        start = time.fromisoformat(a)
        end = time.max if b == "24:00" else time.fromisoformat(b)
    except ValueError:
        raise _fail(what, f"{text!r} is not a window HH:MM-HH:MM") from None
    if start == end:
        raise _fail(what, f"{text!r} is an empty window")
    return start, end


def check_schedule(s: dict[str, Any], what: str) -> dict[str, Any]:
    f = validate(s, SCHEDULE_FIELDS, what)
    start = parse_day(f["first_day"], f"{what}.first_day") if f.get("first_day") else None
    end = parse_day(f["last_day"], f"{what}.last_day") if f.get("last_day") else None
    if start and end and end < start:
        raise _fail(what, f"last_day {end} is before first_day {start}: it never plays")
    days = f.setdefault("days", [1, 2, 3, 4, 5, 6, 7])
    if any(type(d) is not int or not 1 <= d <= 7 for d in days):
        raise _fail(f"{what}.days", "each is an ISO weekday 1-7 (1 = Monday)")
    for i, h in enumerate(f.setdefault("hours", [])):
        if not isinstance(h, str):
            raise _fail(f"{what}.hours[{i}]", "a window HH:MM-HH:MM")
        parse_hours(h, f"{what}.hours[{i}]")
    return f


def _check_langs(langs: list[Any], what: str) -> None:
    for lang in langs:
        if not isinstance(lang, str) or not 2 <= len(lang) <= 8 or set(lang) - LANG_CHARS:
            raise _fail(what, f"{lang!r} is not a language code (2-8 of a-z and -)")


def check_survey(s: dict[str, Any], langs: list[str], what: str) -> dict[str, Any]:
    f = validate(s, SURVEY_FIELDS, what)
    for role in f.setdefault("staff", []):
        if role not in STAFF_ROLES:
            raise _fail(f"{what}.staff", f"{role!r} is not one of {', '.join(STAFF_ROLES)}")
    keys: set[str] = set()
    for i, r in enumerate(f.setdefault("reasons", [])):
        w = f"{what}.reasons[{i}]"
        if not isinstance(r, dict) or not isinstance(r.get("key"), str):
            raise _fail(w, 'each reason is {"key": ..., "text": {lang: label}}')
        if not 1 <= len(r["key"]) <= 40 or r["key"] in keys:
            raise _fail(w, f"key {r['key']!r} must be 1-40 characters and unique")
        keys.add(r["key"])
        text = r.get("text")
        if not isinstance(text, dict) or any(not isinstance(text.get(g), str) for g in langs):
            raise _fail(w, f"text needs a label in each language ({', '.join(langs)})")
    if f["trigger"] != "never" and not (f.get("nps") or f["staff"]):
        raise _fail(what, "a survey asks the NPS or rates staff (or its trigger is never)")
    return f


def check_scenario(s: dict[str, Any], content: dict[str, Any], what: str) -> dict[str, Any]:
    """One scenario checked (ProtocolError naming the field); each playlist item must name a
    file in ``content``."""
    f = validate(s, SCENARIO_FIELDS, what)
    _check_langs(f["langs"], f"{what}.langs")
    for lang, texts in f["texts"].items():
        if not isinstance(texts, dict) or any(not isinstance(v, str) for v in texts.values()):
            raise _fail(f"{what}.texts.{lang}", "a mapping of text keys to texts")
    f["schedule"] = check_schedule(f["schedule"], f"{what}.schedule")
    f["survey"] = check_survey(f["survey"], f["langs"], f"{what}.survey")
    for i, item in enumerate(f.setdefault("playlist", [])):
        w = f"{what}.playlist[{i}]"
        if not isinstance(item, dict) or item.get("content") not in content:
            raise _fail(w, f"content {str(item)[:80]} is not among the plan's files")
        secs = item.get("seconds", 10)
        if type(secs) not in (int, float) or not 1 <= secs <= 600:
            raise _fail(w, "seconds must be 1-600")
    return f


def check_plan(doc: Any) -> dict[str, Any]:
    """A plan checked whole (ProtocolError naming the field): the kiosk keeps its previous plan
    when a new one fails."""
    if not isinstance(doc, dict):
        raise _fail("plan", "not a JSON object")
    f = validate(doc, PLAN_FIELDS, "plan")
    for sha, c in f["content"].items():
        if not is_sha256(sha):
            raise _fail("plan.content", f"{sha[:70]!r} is not a SHA-256 in hex")
        f["content"][sha] = validate(c, CONTENT_FIELDS, f"plan.content.{sha[:12]}")
    f["scenarios"] = [
        check_scenario(s, f["content"], f"plan.scenarios[{i}]")
        for i, s in enumerate(f["scenarios"])
    ]
    return f


def _in_window(t: time, window: tuple[time, time]) -> bool:
    start, end = window
    return start <= t < end if start < end else t >= start or t < end


def plays_on(schedule: dict[str, Any], day: date) -> bool:
    """Whether the schedule has any slot on the local date ``day``."""
    start, end = schedule.get("first_day"), schedule.get("last_day")
    if start and day < date.fromisoformat(start):
        return False
    if end and day > date.fromisoformat(end):
        return False
    return day.isoweekday() in schedule.get("days", range(1, 8))


def plays_at(schedule: dict[str, Any], local: datetime) -> bool:
    """Whether the schedule plays at the local (naive or aware) time ``local``. A window that
    crosses midnight belongs to the day it starts on."""
    hours = [parse_hours(h, "hours") for h in schedule.get("hours", [])]
    t = local.time().replace(tzinfo=None)
    if not hours:
        return plays_on(schedule, local.date())
    for w in hours:
        if not _in_window(t, w):
            continue
        starts_yesterday = w[1] < w[0] and t < w[1]
        day = local.date() if not starts_yesterday else date.fromordinal(local.toordinal() - 1)
        if plays_on(schedule, day):
            return True
    return False


def rank(s: dict[str, Any]) -> tuple[int, float, str]:
    """The order among scenarios playing at once: priority, then the most recently published,
    then the id (so two campaigns of equal priority resolve the same way everywhere)."""
    return (s["priority"], s["published"], s["id"])


def local_time(plan: dict[str, Any], unix_s: float) -> datetime:
    """``unix_s`` at the plan's station (UTC when the plan names no zone this machine knows)."""
    try:
        zone = ZoneInfo(plan["tz"])
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.fromtimestamp(unix_s, zone)


def active(plan: dict[str, Any], local: datetime) -> dict[str, Any] | None:
    """The scenario that plays at ``local`` (the kiosk's local time), or None."""
    playing = [s for s in plan["scenarios"] if plays_at(s["schedule"], local)]
    return max(playing, key=rank) if playing else None


def ties(scenarios: list[dict[str, Any]], local: datetime) -> list[str]:
    """Ids of scenarios playing at ``local`` with the same priority as the winner (the web
    office warns of them)."""
    playing = [s for s in scenarios if plays_at(s["schedule"], local)]
    if len(playing) < 2:
        return []
    top = max(s["priority"] for s in playing)
    same = [s["id"] for s in playing if s["priority"] == top]
    return same if len(same) > 1 else []
