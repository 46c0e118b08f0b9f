"""``crmsensor fleet``: the fleet manager."""

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import click

from cli import hierarchy, users
from crmsensor.errors import ConfigError
from fleet.db import MODELS, close_db, open_db
from fleet.devices.registry import DeviceSpec, known_ids, register
from fleet.identity.ca import KINDS, FleetCA, PassphraseKeyStore
from fleet.migrate import make_migrations
from fleet.settings import dialect_of, host_port, load_settings

_DB_HELP = "Database URL: sqlite://PATH or postgres://user@host/db."


@click.group("fleet")
def group() -> None:
    """Run the fleet manager and manage its device registry."""


group.add_command(users.user_group)
group.add_command(users.token_group)
for sub in (hierarchy.org_group, hierarchy.region_group, hierarchy.station_group,
            hierarchy.device_group):  # fmt: skip
    group.add_command(sub)


@group.command("serve")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (TOML; see fleet/settings.py). CRMS_FLEET_* variables override it.",
)
@click.option(
    "--db", "db_url", default=None, help=_DB_HELP + "  [default: sqlite://.run/fleet.sqlite3]"
)
@click.option("--broker", default=None, help="MQTT broker HOST:PORT.  [default: 127.0.0.1:1883]")
@click.option("--http", default=None, help="Listen on HOST:PORT.  [default: 127.0.0.1:8080]")
@click.option(
    "--share-group", default=None, help="MQTT shared-subscription group (several instances)."
)
def serve_cmd(
    config: Path | None,
    db_url: str | None,
    broker: str | None,
    http: str | None,
    share_group: str | None,
) -> None:
    """Serve the fleet manager until Ctrl-C (options win over the file and the environment)."""
    overrides: dict[str, object] = {"db_url": db_url, "share_group": share_group}
    try:
        if broker is not None:
            overrides["broker_host"], overrides["broker_port"] = host_port(broker, "--broker")
        if http is not None:
            overrides["http_host"], overrides["http_port"] = host_port(http, "--http")
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    settings = load_settings(config, os.environ, **overrides)
    # imported here: the service pulls in the whole fleet (aiohttp, the postfilter's numpy
    # and scipy), which the bench's commands (badge flash, provision) do not need
    from fleet.service import serve

    asyncio.run(serve(settings, click.echo))


@group.command("register")
@click.argument("device_id")
@click.option("--kind", type=click.Choice(["badge", "kiosk"]), required=True)
@click.option("--station", default="", help="Station the device belongs to.")
@click.option("--hw", default="", help="Hardware revision.")
@click.option(
    "--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True, help=_DB_HELP
)
def register_cmd(device_id: str, kind: str, station: str, hw: str, db_url: str) -> None:
    """Add a device to the registry (provisioning with certificates comes later)."""

    async def go() -> None:
        await open_db(db_url)
        try:
            await register(DeviceSpec(device_id, kind, station, hw))
        finally:
            await close_db()

    asyncio.run(go())
    click.echo(f"registered {kind} {device_id}")


@group.command("migrate")
@click.option(
    "--db", "db_url", default="sqlite://.run/fleet.sqlite3", show_default=True, help=_DB_HELP
)
def migrate_cmd(db_url: str) -> None:
    """Bring a database's schema up to date (`fleet serve` also does this at start)."""
    try:
        dialect_of(db_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--db") from None

    async def go() -> list[str]:
        try:
            return await open_db(db_url)
        finally:
            await close_db()

    applied = asyncio.run(go())
    for name in applied:
        click.echo(f"applied {name}")
    click.echo("schema up to date" + ("" if applied else " (nothing to apply)"))


@group.command("makemigrations")
@click.argument("name")
def makemigrations_cmd(name: str) -> None:
    """Write a migration for each database dialect from the changes to the models
    (fleet/*/models.py; for developers; commit the files it writes under fleet/migrations/)."""
    if not name.isidentifier():
        raise click.BadParameter("use letters, digits and underscores", param_hint="NAME")
    written = asyncio.run(make_migrations(name, MODELS))
    for dialect, file in written.items():
        click.echo(f"{dialect}: {file or 'no changes'}")


# --- the fleet CA --------------------------------------------------------------------------

CA_DIR_OPTION = click.option(
    "--ca-dir",
    default=".run/ca",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The fleet CA's folder (passphrase from CRMS_CA_PASSPHRASE, or asked).",
)


async def registered_ids(db_url: str) -> set[str]:
    """The registry's device ids, from a database opened for the purpose."""
    await open_db(db_url)
    try:
        return await known_ids()
    finally:
        await close_db()


def ca_passphrase(confirm: bool = False) -> PassphraseKeyStore:
    """The CA key's passphrase: CRMS_CA_PASSPHRASE, else asked for (hidden)."""
    passphrase = os.environ.get("CRMS_CA_PASSPHRASE")
    if passphrase is None:
        passphrase = click.prompt(
            "CA passphrase", hide_input=True, confirmation_prompt=confirm, err=True
        )
    return PassphraseKeyStore(passphrase)


@group.group("ca")
def ca_group() -> None:
    """The fleet's certificate authority (device, broker, service and user certificates)."""


@ca_group.command("init")
@CA_DIR_OPTION
@click.option("--org", default="CRMsensor fleet", show_default=True)
def ca_init_cmd(ca_dir: Path, org: str) -> None:
    """Create a new CA (its key encrypted with the passphrase)."""
    ca = FleetCA.create(ca_dir, ca_passphrase(confirm=True), org)
    click.echo(f"CA created in {ca.folder}; give devices and the broker {ca.cert_file}")


@ca_group.command("issue")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("name")
@CA_DIR_OPTION
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--days", type=click.IntRange(1, 3650), default=None, help="Validity.")
@click.option("--host", "hosts", multiple=True, help="Server certificates: DNS name or IP.")
def ca_issue_cmd(
    kind: str, name: str, ca_dir: Path, out_dir: Path, days: int | None, hosts: tuple[str, ...]
) -> None:
    """Issue a certificate and key for NAME; write OUT/<cn>.crt and OUT/<cn>.key."""
    ca = FleetCA.open(ca_dir, ca_passphrase())
    issued = ca.issue(kind, name, days=days, hosts=hosts)
    out_dir.mkdir(parents=True, exist_ok=True)
    cn = issued.entry.name
    issued.save(out_dir / f"{cn}.crt", out_dir / f"{cn}.key")
    click.echo(
        f"issued {kind} {cn} (serial {issued.entry.serial:x}, until {issued.entry.not_after})"
    )


@ca_group.command("revoke")
@click.argument("name")
@CA_DIR_OPTION
def ca_revoke_cmd(name: str, ca_dir: Path) -> None:
    """Revoke every valid certificate of NAME (a common name) and rewrite the CRL."""
    ca = FleetCA.open(ca_dir, ca_passphrase())
    revoked = ca.revoke_name(name, "key_compromise")
    if not revoked:
        raise click.BadParameter(f"no valid certificate for {name!r}", param_hint="NAME")
    click.echo(f"revoked {len(revoked)} certificate(s) of {name}; CRL: {ca.crl_file}")


@ca_group.command("list")
@CA_DIR_OPTION
def ca_list_cmd(ca_dir: Path) -> None:
    """Every certificate issued, with its state."""
    ca = FleetCA.open(ca_dir, ca_passphrase())
    now = datetime.now(UTC).isoformat()
    for e in ca.entries():
        state = "revoked" if e.revoked_at else ("expired" if e.not_after < now else "valid")
        click.echo(f"{e.serial:040x} {e.kind:8} {e.name:32} {e.not_after[:19]} {state}")


@ca_group.command("crl")
@CA_DIR_OPTION
def ca_crl_cmd(ca_dir: Path) -> None:
    """Re-sign the CRL now (a fleet with `ca_dir` does it by itself before it expires)."""
    ca = FleetCA.open(ca_dir, ca_passphrase())
    click.echo(f"wrote {ca.write_crl()}; reload the broker: crmsensor broker acl")


# --- release keys and signatures (issue 19: upload, list and yank come with the fleet's
# release store) ---------------------------------------------------------------------------


RELEASE_KINDS = ["badge-app", "badge-image", "kiosk-wheel"]  # crmsensor.release_keys.KINDS


def release_passphrase(confirm: bool = False) -> bytes:
    """The release key's passphrase: CRMS_RELEASE_PASSPHRASE, else asked for (hidden)."""
    passphrase = os.environ.get("CRMS_RELEASE_PASSPHRASE")
    if passphrase is None:
        passphrase = click.prompt(
            "release key passphrase", hide_input=True, confirmation_prompt=confirm, err=True
        )
    return passphrase.encode()


@group.group("release")
def release_group() -> None:
    """Signed releases: release keys (apart from the CA), signing, the fleet's release store."""


@release_group.command("keygen")
@click.argument("key_file", type=click.Path(dir_okay=False, path_type=Path))
def release_keygen_cmd(key_file: Path) -> None:
    """Make a release key at KEY_FILE (RSA-2048, encrypted); print its trusted-key entry."""
    from crmsensor import release_keys as rk

    key = rk.new_key(key_file, release_passphrase(confirm=True))
    click.echo(json.dumps(rk.trusted_entry(key.public_key())))


@release_group.command("sign")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The release key (passphrase from CRMS_RELEASE_PASSPHRASE).",
)
@click.option("--version", "version", required=True, help="The release's version, e.g. 1.4.2.")
@click.option("--kind", required=True, type=click.Choice(RELEASE_KINDS))
@click.option("--hw", multiple=True, required=True, help="A hardware revision it runs on (repeat).")
@click.option("--min-version", default="0", show_default=True,
              help="The oldest version that may update to it.")  # fmt: skip
def release_sign_cmd(
    bundle: Path, key_file: Path, version: str, kind: str, hw: tuple[str, ...], min_version: str
) -> None:
    """Sign BUNDLE: write BUNDLE.release.json (the signed manifest) and BUNDLE.release.sig."""
    from crmsensor import release_keys as rk

    key = rk.load_key(key_file, release_passphrase())
    body, sig = rk.sign_release(bundle, key, version=version, kind=kind, hw=list(hw),
                                min_version=min_version)  # fmt: skip
    manifest = bundle.with_name(bundle.name + ".release.json")
    manifest.write_bytes(body)
    bundle.with_name(bundle.name + ".release.sig").write_text(sig + "\n")
    click.echo(f"signed {bundle.name} {version} with key {rk.key_id(key.public_key())}: {manifest}")


FLEET_URL = click.option(
    "--fleet", "fleet_url", envvar="CRMS_FLEET_URL", default="http://127.0.0.1:8080",
    show_default=True, help="The fleet's URL (or CRMS_FLEET_URL).",
)  # fmt: skip
FLEET_TOKEN = click.option(
    "--token", envvar="CRMS_FLEET_TOKEN", required=True,
    help="An API token with the updates functions (or CRMS_FLEET_TOKEN).",
)  # fmt: skip


@release_group.command("upload")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--notes", default="", help="What changed, for the operators.")
@FLEET_URL
@FLEET_TOKEN
def release_upload_cmd(bundle: Path, notes: str, fleet_url: str, token: str) -> None:
    """Upload BUNDLE with the manifest and signature `sign` wrote beside it."""
    from fleet.updates import client

    r = asyncio.run(client.upload(fleet_url, token, bundle, notes))
    click.echo(f"release {r['id']}: {r['kind']} {r['version']} for {', '.join(r['hw'])}, "
               f"{r['size']:,} bytes, key {r['key']}")  # fmt: skip


@release_group.command("list")
@click.option("--kind", type=click.Choice(RELEASE_KINDS), default=None)
@FLEET_URL
@FLEET_TOKEN
def release_list_cmd(kind: str | None, fleet_url: str, token: str) -> None:
    """The fleet's releases, newest first."""
    from fleet.updates import client

    for r in asyncio.run(client.list_releases(fleet_url, token, kind)):
        state = f"yanked: {r['yank_reason']}" if r["yanked_at"] else "usable"
        click.echo(f"{r['id']:>5}  {r['kind']:<12} {r['version']:<10} {','.join(r['hw']):<20} "
                   f"{r['size']:>10,}  {r['created_at'][:16]}  {state}")  # fmt: skip


@release_group.command("yank")
@click.argument("release_id", type=click.IntRange(1))
@click.option("--reason", required=True, help="Why it is withdrawn (shown with it).")
@FLEET_URL
@FLEET_TOKEN
def release_yank_cmd(release_id: int, reason: str, fleet_url: str, token: str) -> None:
    """Withdraw a release: no new updates to it, its downloads refused, open ones cancelled."""
    from fleet.updates import client

    r = asyncio.run(client.yank(fleet_url, token, release_id, reason))
    click.echo(
        f"release {r['id']} ({r['version']}) yanked; {r['cancelled']} open updates cancelled"
    )
