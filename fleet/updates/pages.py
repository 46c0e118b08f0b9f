"""The web office's updates section: releases and rollouts (``/updates``) and one rollout's
page with its waves, cohorts, the health comparison and its log (``/updates/rollouts/{id}``).
Actions go through the API (``data-api`` forms, static/office.js)."""

from aiohttp import web

from fleet.office.guard import principal_of
from fleet.office.pages import page, render
from fleet.updates import rollouts
from fleet.updates.models import Release, Rollout
from fleet.updates.releases import release_view


@page("/updates", "updates", "view")
async def updates_page(request: web.Request) -> web.Response:
    """Releases and rollouts; upload is the CLI's, rolling out and yanking are here."""
    p = principal_of(request)
    release_rows = [release_view(r) for r in await Release.all().order_by("-id").limit(100)]
    rollout_rows = [await rollouts.view(r) for r in await Rollout.all().order_by("-id").limit(100)]
    return render(
        request, "updates.html", "Updates", releases=release_rows, rollouts=rollout_rows,
        can_release=p.allows("updates", "release"), can_deploy=p.allows("updates", "deploy"),
    )  # fmt: skip


@page("/updates/rollouts/{rollout_id}", "updates", "view")
async def rollout_page(request: web.Request) -> web.Response:
    """One rollout: waves and their devices by state, the health gate's comparison, the log."""
    raw = request.match_info["rollout_id"]
    r = await Rollout.get_or_none(id=int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if r is None:
        return render(request, "error.html", "Not found", status=404,
                      message=f"No rollout {raw[:40]!r}.")  # fmt: skip
    v = await rollouts.view(r, detail=True)
    return render(
        request, "rollout.html", f"Rollout {r.id}: {r.name}", r=v,
        can_deploy=principal_of(request).allows("updates", "deploy"),
    )  # fmt: skip
