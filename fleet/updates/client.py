"""The release store over the fleet's REST API, for ``crmsensor fleet release
upload|list|yank`` (and any script): an API token, the fleet's URL, JSON back."""

from pathlib import Path
from typing import Any

import aiohttp

from crmsensor.errors import UserError


class FleetApiError(UserError):
    """The fleet refused or could not be reached; the message says which and why."""


async def _call(method: str, url: str, token: str, **kw: Any) -> dict[str, Any]:
    try:
        async with (
            aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http,
            http.request(method, url, **kw) as r,
        ):
            body = await r.json() if r.content_type == "application/json" else {}
            if r.status >= 400:
                raise FleetApiError(f"{method} {url}: {r.status}: {body.get('error', r.reason)}")
            return dict(body)
    except aiohttp.ClientError as exc:
        raise FleetApiError(f"cannot reach the fleet at {url}: {exc}") from None


def signed_files(bundle: Path) -> tuple[bytes, str]:
    """The manifest and signature `fleet release sign` wrote beside ``bundle``."""
    manifest = bundle.with_name(bundle.name + ".release.json")
    sig = bundle.with_name(bundle.name + ".release.sig")
    try:
        return manifest.read_bytes(), sig.read_text().strip()
    except FileNotFoundError as exc:
        raise FleetApiError(
            f"{exc.filename} not found: sign the bundle first (crmsensor fleet release sign)"
        ) from None


async def upload(fleet: str, token: str, bundle: Path, notes: str = "") -> dict[str, Any]:
    """Upload ``bundle`` with its signed manifest; the stored release."""
    manifest, sig = signed_files(bundle)
    form = aiohttp.FormData()
    form.add_field("manifest", manifest.decode())
    form.add_field("signature", sig)
    if notes:
        form.add_field("notes", notes)
    form.add_field("bundle", bundle.read_bytes(), filename=bundle.name)
    return await _call("POST", fleet.rstrip("/") + "/api/v1/releases", token, data=form)


async def list_releases(fleet: str, token: str, kind: str | None = None) -> list[dict[str, Any]]:
    """Every release, newest first (all pages)."""
    out: list[dict[str, Any]] = []
    params: dict[str, str] = {"limit": "1000", **({"kind": kind} if kind else {})}
    while True:
        page = await _call("GET", fleet.rstrip("/") + "/api/v1/releases", token, params=params)
        out += page["items"]
        if not page.get("next"):
            return out
        params["after"] = page["next"]


async def yank(fleet: str, token: str, release_id: int, reason: str) -> dict[str, Any]:
    """Withdraw a release; the release, with how many open updates were cancelled."""
    url = f"{fleet.rstrip('/')}/api/v1/releases/{release_id}/yank"
    return await _call("POST", url, token, json={"reason": reason})
