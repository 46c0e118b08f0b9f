"""Updates under ``/api/v1``: releases (upload, list, yank), deliveries to devices, and the
bundle download devices use (by the token in their ``ota`` command, with HTTP Range)."""

import tempfile
from pathlib import Path
from typing import Annotated, Any

from aiohttp import BodyPartReader, web
from pydantic import StringConstraints

from fleet.devices.models import Device
from fleet.office.access import add_role_functions, add_section
from fleet.office.guard import check_object, missing, principal_of, scoped
from fleet.ranges import stream_object
from fleet.state import ADDRESS, OBJECTS, SETTINGS
from fleet.updates.models import DeviceUpdate, Release
from fleet.updates.releases import (
    FINAL_STATES,
    OPEN_STATES,
    ReleaseRefused,
    deliver,
    release_view,
    store_release,
    trusted_keys,
    update_view,
    yank,
)
from fleet.webapi import (
    AFTER,
    DEVICE_ID,
    LIMIT,
    PUBLIC,
    REFERS,
    ROW_ID,
    Access,
    Api,
    Body,
    Param,
    bad_request,
    conflict,
    int_in,
    newest_first,
    not_found,
    page,
)

add_section("updates", ("view", "release", "deploy"))  # release: upload and yank releases
add_role_functions("operator", "updates", ("view", "deploy"))
add_role_functions("auditor", "updates", ("view",))

api = Api()
VIEW = Access("updates", "view")
RELEASE = Access("updates", "release", audit="release.change")
DEPLOY = Access("updates", "deploy", audit="update.deliver")
MAX_BUNDLE = 64 * 1024 * 1024  # a full MicroPython image is about 2 MB; a kiosk wheel less
_PART = 1 << 16
KINDS = ("badge-app", "badge-image", "kiosk-wheel")
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["manifest", "signature", "bundle"],
                "additionalProperties": False,
                "properties": {
                    "manifest": {"type": "string", "description": "The signed manifest"},
                    "signature": {"type": "string", "description": "Hex, 512 digits"},
                    "notes": {"type": "string", "maxLength": 2000},
                    "bundle": {"type": "string", "format": "binary"},
                },
            }
        }
    },
}


async def _release(request: web.Request, function: str = "view") -> Release:
    raw = request.match_info["release_id"]
    release = await Release.get_or_none(id=int(raw))
    if release is None:
        raise await missing(request, "updates", function, f"release {raw!r}")
    return release


@api.endpoint(
    "GET",
    "/api/v1/releases",
    "Releases, newest first",
    (
        Param("kind", str, "Only this kind", choices=KINDS),
        Param("yanked", bool, "Only yanked (true) or only usable (false) releases"),
        LIMIT,
        AFTER,
    ),
    access=VIEW,
)
async def list_releases(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = Release.all()
    if p["kind"]:
        qs = qs.filter(kind=p["kind"])
    if p["yanked"] is not None:
        qs = qs.filter(yanked_at__isnull=not p["yanked"])
    rows, nxt = await newest_first(qs, p)
    return page([release_view(r) for r in rows], nxt)


async def _read_upload(request: web.Request, folder: Path) -> tuple[bytes, str, str, Path]:
    """The multipart upload's manifest, signature, notes and bundle (written to ``folder``)."""
    if not request.content_type.startswith("multipart/"):
        raise bad_request("send multipart/form-data: manifest, signature, bundle")
    fields: dict[str, bytes] = {}
    bundle = folder / "bundle.bin"
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name not in (
                "manifest", "signature", "notes", "bundle"
            ):  # fmt: skip
                raise bad_request("the upload's parts are manifest, signature, notes, bundle")
            if part.name == "bundle":
                size = 0
                with bundle.open("wb") as f:
                    while chunk := await part.read_chunk(_PART):
                        size += len(chunk)
                        if size > MAX_BUNDLE:
                            raise bad_request(f"bundle larger than {MAX_BUNDLE} bytes")
                        f.write(chunk)
                fields["bundle"] = b""
            else:
                data = await part.read()
                if len(data) > 4096:
                    raise bad_request(f"{part.name} is longer than 4096 bytes")
                fields[part.name] = bytes(data)
    except ValueError as exc:  # aiohttp: a malformed multipart body
        raise bad_request(f"malformed multipart body: {exc}") from None
    for name in ("manifest", "signature", "bundle"):
        if name not in fields:
            raise bad_request(f"the upload has no {name} part")
    # a signature that is not hex is refused by the signature check, naming it
    signature = fields["signature"].decode("utf-8", "replace").strip()
    try:
        notes = fields.get("notes", b"").decode()
    except UnicodeDecodeError:
        raise bad_request("notes must be UTF-8 text") from None
    return fields["manifest"].strip(), signature, notes, bundle


@api.endpoint(
    "POST",
    "/api/v1/releases",
    "Upload a signed release (refused with the reason when unsigned, mis-signed, or its "
    "bundle is not the one its manifest describes)",
    access=RELEASE,
    status=201,
    request_body=UPLOAD_BODY,
    responses={
        "409": {
            "description": "Refused (the JSON `error` says why): not signed by a trusted key, "
            "fields unsound, the bundle not the manifest's, or this kind and version stored "
            "already"
        }
    },
)
async def upload_release(request: web.Request, p: dict[str, Any]) -> web.Response:
    settings = request.app[SETTINGS]
    with tempfile.TemporaryDirectory(prefix="crms-release-") as tmp:
        manifest, signature, notes, bundle = await _read_upload(request, Path(tmp))
        try:
            keys = trusted_keys(settings.updates.trusted_keys)
            release = await store_release(
                request.app[OBJECTS], keys, manifest, signature, bundle,
                principal_of(request).name, notes,
            )  # fmt: skip
        except ReleaseRefused as exc:  # and ReleaseExists
            raise conflict(f"release refused: {exc}") from None
    return web.json_response(release_view(release), status=201)


@api.endpoint(
    "GET",
    "/api/v1/releases/{release_id}",
    "One release",
    path_patterns={"release_id": ROW_ID},
    access=VIEW,
)
async def get_release(request: web.Request, p: dict[str, Any]) -> web.Response:
    return web.json_response(release_view(await _release(request)))


class Yank(Body):
    """Why a release is withdrawn."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=200)]


@api.endpoint(
    "POST",
    "/api/v1/releases/{release_id}/yank",
    "Withdraw a release: no new deliveries, downloads refused, open deliveries cancelled",
    path_patterns={"release_id": ROW_ID},
    access=RELEASE,
    body=Yank,
)
async def yank_release(request: web.Request, p: dict[str, Any]) -> web.Response:
    release = await _release(request, "release")
    cancelled = await yank(release, p["body"].reason)
    return web.json_response({**release_view(release), "cancelled": cancelled})


class UpdateRequest(Body):
    """The release to install."""

    release: int_in(1, 2**53)  # type: ignore[valid-type]


@api.endpoint(
    "POST",
    "/api/v1/devices/{device_id}/update",
    "Tell a device to install a release (refused with the reason when it does not fit)",
    path_patterns={"device_id": DEVICE_ID},
    access=DEPLOY,
    body=UpdateRequest,
    status=201,
    responses={
        **REFERS,
        "409": {"description": "Refused: the release does not fit the device (`error` says why)"},
    },
)
async def update_device(request: web.Request, p: dict[str, Any]) -> web.Response:
    device_id = request.match_info["device_id"]
    what = f"device {device_id!r}"
    device = await Device.get_or_none(id=device_id)
    if device is None:
        raise await missing(request, "updates", "deploy", what)
    await check_object(request, "updates", "deploy", device.station_id, what)  # type: ignore[attr-defined]
    release = await Release.get_or_none(id=p["body"].release)
    if release is None:
        raise not_found(f"no release {p['body'].release}")
    u = request.app[SETTINGS].updates
    try:
        delivery = await deliver(device, release, public_url(request.app), u.delivery_timeout_s)
    except ReleaseRefused as exc:
        raise conflict(f"update refused: {exc}") from None
    return web.json_response(update_view(delivery), status=201)


def public_url(app: web.Application) -> str:
    """Where devices reach this fleet: ``[updates] public_url``, else its listen address."""
    s = app[SETTINGS]
    if s.updates.public_url:
        return s.updates.public_url
    scheme = "https" if s.http_tls.cert else "http"
    return app[ADDRESS].url or f"{scheme}://{s.http_host}:{s.http_port}"


@api.endpoint(
    "GET",
    "/api/v1/updates",
    "Deliveries of releases to devices, newest first",
    (
        Param("device", str, "Device id", max_len=32),
        Param("release", int, "Release id", lo=1, hi=2**53),
        Param("state", str, "Only this state", choices=OPEN_STATES + FINAL_STATES),
        LIMIT,
        AFTER,
    ),
    access=VIEW,
)
async def list_updates(request: web.Request, p: dict[str, Any]) -> web.Response:
    qs = await scoped(request, DeviceUpdate.all(), "updates", "view", "device__station_id")
    if p["device"]:
        qs = qs.filter(device_id=p["device"])
    if p["release"]:
        qs = qs.filter(release_id=p["release"])
    if p["state"]:
        qs = qs.filter(state=p["state"])
    rows, nxt = await newest_first(qs, p)
    return page([update_view(d) for d in rows], nxt)


BUNDLE_RESPONSES = {
    "206": {
        "description": "Partial content",
        "content": {"application/octet-stream": {"schema": {"type": "string"}}},
    },
    "410": {"description": "The delivery is over or its release was yanked"},
    "416": {"description": "Range not satisfiable"},
}


@api.endpoint(
    "GET",
    "/api/v1/bundles/{token}",
    "A release's bundle, for the device whose ota command carries this token (HTTP Range, "
    "so an interrupted download resumes)",
    path_patterns={"token": r"^[A-Za-z0-9_-]{43}$"},
    access=PUBLIC,  # the token is the device's capability, valid while its delivery is open
    content_type="application/octet-stream",
    responses=BUNDLE_RESPONSES,
)
async def download_bundle(request: web.Request, p: dict[str, Any]) -> web.StreamResponse:
    delivery = await DeviceUpdate.get_or_none(token=request.match_info["token"]).prefetch_related(
        "release"
    )
    if delivery is None:
        raise web.HTTPNotFound(
            text='{"error": "no such download"}', content_type="application/json"
        )
    release: Release = delivery.release
    if release.yanked_at is not None or delivery.state not in OPEN_STATES:
        why = "release yanked" if release.yanked_at else f"delivery {delivery.state}"
        raise web.HTTPGone(text=f'{{"error": "{why}"}}', content_type="application/json")
    store = request.app[OBJECTS]
    size = await store.size(release.object_key)
    if size is None:
        raise web.HTTPGone(text='{"error": "bundle missing"}', content_type="application/json")
    return await stream_object(request, store, release.object_key, size, "application/octet-stream")
