"""Each kiosk's plan (crmsensor/protocol/screen.py): the current versions of the scenarios that
target it and the files they use, built from the database and sent when it changes.

A kiosk is told by a ``scenario`` command carrying the plan's SHA-256 and its URL
(``/api/v1/screens/<token>/plan``; the token is the kiosk's, so its downloads need no
account). The command waits in the database while the kiosk is offline; a newer plan replaces a
command not yet answered. :func:`refresh` runs after every change in the web office and once a
minute (a kiosk registered since, a file deleted), and does nothing for kiosks whose plan is
unchanged.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crmsensor.protocol.schema import encode_json
from crmsensor.protocol.screen import check_plan
from fleet.content.models import Content
from fleet.devices import commands
from fleet.devices.models import Command, Device
from fleet.hierarchy.models import Station
from fleet.ingest.downlink import Downlink
from fleet.surveys.models import Scenario, ScenarioVersion, Screen

log = logging.getLogger("fleet.surveys.plans")

PLAN_TTL_S = 7 * 24 * 3600  # a kiosk offline for a week gets the plan of the day it returns


@dataclass(frozen=True)
class Kiosk:
    """Where a kiosk is, as targeting sees it."""

    id: str
    station: str | None
    region: int | None
    tags: tuple[str, ...]
    tz: str

    def targeted_by(self, target: dict[str, Any]) -> bool:
        """Whether a scenario's ``target`` covers this kiosk."""
        return bool(
            target.get("all")
            or (self.station is not None and self.station in target.get("stations", []))
            or (self.region is not None and self.region in target.get("regions", []))
            or set(self.tags) & set(target.get("tags", []))
        )


async def kiosks() -> list[Kiosk]:
    """Every kiosk in service, with its station, region, tags and time zone."""
    stations = {s.id: s for s in await Station.all()}
    out = []
    for d in await Device.filter(kind="kiosk", decommissioned_at__isnull=True).order_by("id"):
        st = stations.get(d.station_id)  # type: ignore[attr-defined]
        out.append(Kiosk(d.id, d.station_id, st.region_id if st else None,  # type: ignore[attr-defined]
                         tuple(d.tags), st.timezone if st else "UTC"))  # fmt: skip
    return out


def entry(s: Scenario, v: ScenarioVersion, files: dict[str, Any]) -> dict[str, Any]:
    """A scenario version as the plan carries it; playlist items whose file is gone are left
    out (the web office refuses to delete a file in use, so this is a race at most)."""
    b = v.body
    return {
        "id": s.id, "version": v.version, "name": s.name, "priority": b["priority"],
        "published": round(v.created_at.timestamp(), 3), "schedule": b["schedule"],
        "langs": b["langs"], "texts": b["texts"], "survey": b["survey"],
        "playlist": [i for i in b.get("playlist", []) if i["content"] in files],
    }  # fmt: skip


def file_entry(c: Content) -> dict[str, Any]:
    out: dict[str, Any] = {"type": c.type, "size": c.size}
    if c.seconds is not None:
        out["seconds"] = c.seconds
    return out


async def live_versions() -> list[tuple[Scenario, ScenarioVersion]]:
    """The current version of every scenario not archived."""
    scenarios = {s.id: s for s in await Scenario.filter(archived_at__isnull=True)}
    if not scenarios:
        return []
    out = []
    for v in await ScenarioVersion.filter(scenario_id__in=list(scenarios)):
        s = scenarios[v.scenario_id]  # type: ignore[attr-defined]
        if v.version == s.version:
            out.append((s, v))
    return sorted(out, key=lambda sv: sv[0].id)


async def build_all(now: datetime) -> dict[str, dict[str, Any]]:
    """Every kiosk's plan, by device id."""
    live = await live_versions()
    used = {i["content"] for _, v in live for i in v.body.get("playlist", [])}
    rows = await Content.filter(sha256__in=list(used), deleted_at__isnull=True)
    files = {c.sha256: file_entry(c) for c in rows}
    plans = {}
    for k in await kiosks():
        mine = [entry(s, v, files) for s, v in live if k.targeted_by(v.body["target"])]
        need = {i["content"] for s in mine for i in s["playlist"]}
        plan = {"kiosk": k.id, "issued": int(now.timestamp()), "tz": k.tz, "scenarios": mine,
                "content": {sha: files[sha] for sha in sorted(need)}}  # fmt: skip
        plans[k.id] = check_plan(plan)  # ours: a failure here is a bug, and loud
    return plans


def plan_bytes(plan: dict[str, Any]) -> bytes:
    return encode_json(plan)


def plan_sha(plan: dict[str, Any]) -> str:
    return hashlib.sha256(plan_bytes(plan)).hexdigest()


def _same(a: dict[str, Any] | None, b: dict[str, Any]) -> bool:
    if a is None:
        return False
    return {**a, "issued": 0} == {**b, "issued": 0}


async def send(screen: Screen, public_url: str) -> None:
    """Queue the ``scenario`` command for ``screen``'s plan; a plan not yet answered is
    replaced."""
    await Command.filter(
        device_id=screen.device_id, op="scenario", state__in=("queued", "sent")
    ).update(state="replaced")
    url = f"{public_url.rstrip('/')}/api/v1/screens/{screen.token}/plan"
    await commands.queue_command(
        screen.device_id, "scenario", {"plan": screen.plan_sha, "url": url}, ttl_s=PLAN_TTL_S
    )


async def refresh(
    public_url: str, downlink: Downlink | None = None, now: datetime | None = None
) -> int:
    """Build every kiosk's plan; store and send the ones that changed. Returns how many."""
    now = now or datetime.now(UTC)
    plans = await build_all(now)
    screens = {s.device_id: s for s in await Screen.all()}
    changed = 0
    for device_id, plan in plans.items():
        screen = screens.get(device_id)
        if screen is not None and _same(screen.plan, plan):
            continue
        sha = plan_sha(plan)
        if screen is None:
            screen = await Screen.create(
                device_id=device_id, token=secrets.token_urlsafe(32), plan=plan, plan_sha=sha,
                planned_at=now,
            )  # fmt: skip
        else:
            screen.plan, screen.plan_sha, screen.planned_at = plan, sha, now
            await screen.save(update_fields=["plan", "plan_sha", "planned_at"])
        await send(screen, public_url)
        changed += 1
    if changed:
        log.info("new screen plans for %d kiosks", changed)
        if downlink is not None:
            await commands.dispatch(downlink, now)
    return changed


def served(screen: Screen) -> bytes:
    """The plan's exact bytes (their SHA-256 is the command's ``plan``)."""
    return plan_bytes(screen.plan)
