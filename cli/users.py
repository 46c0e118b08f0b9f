"""``crmsensor fleet user|token``: the web office's accounts and API tokens, at the console
(the first admin comes from here)."""

import sys
from datetime import UTC, datetime

import click

from cli.dbrun import DB_OPTION, run_db
from crmsensor.errors import ConfigError
from fleet.office import accounts
from fleet.office.access import ROLE_NAMES, Scope
from fleet.office.models import ApiToken, User


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    if not line:
        raise ConfigError("--password-stdin: nothing on standard input")
    return line.rstrip("\r\n")


def _scope(text: str) -> Scope:
    try:
        return Scope.parse(text)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None


@click.group("user")
def user_group() -> None:
    """Web office users: add, list, disable, enable, reset."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", "roles", type=click.Choice(ROLE_NAMES), multiple=True, required=True,
              help="A role; repeat for several grants (each over --scope).")  # fmt: skip
@click.option("--scope", default="all", show_default=True,
              help="all, organisation:ID, region:ID or station:ID.")  # fmt: skip
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--allow", "cidrs", multiple=True, help="Allowed address or CIDR (repeatable).")
@DB_OPTION
def add_cmd(
    name: str, roles: tuple[str, ...], scope: str, password_stdin: bool, cidrs: tuple[str, ...],
    db_url: str,
) -> None:  # fmt: skip
    """Add a user (without --password-stdin they can only use API tokens)."""
    where = _scope(scope)
    password = _password_from_stdin() if password_stdin else None
    grants = [accounts.GrantSpec(r, where) for r in roles]
    run_db(db_url, lambda: accounts.add_user(name, password, grants, list(cidrs)))
    click.echo(f"added {name}: {', '.join(roles)} @ {where}")


@user_group.command("list")
@DB_OPTION
def list_cmd(db_url: str) -> None:
    """Users, their grants and state."""

    async def rows() -> list[tuple[str, str, str]]:
        out = []
        now = datetime.now(UTC)
        for u in await User.all().order_by("name"):
            grants = ", ".join(f"{r} @ {s}" for r, s in await accounts.grants_of(u.id))
            locked = u.locked_until is not None and u.locked_until > now
            state = "disabled" if u.disabled else "locked" if locked else "active"
            out.append((u.name, state, grants or "(no grants)"))
        return out

    for name, state, grants in run_db(db_url, rows):
        click.echo(f"{name:24} {state:9} {grants}")


def _set_disabled(db_url: str, name: str, disabled: bool) -> None:
    async def go() -> None:
        await accounts.set_disabled(await accounts.get_user(name), disabled)

    run_db(db_url, go)


@user_group.command("disable")
@click.argument("name")
@DB_OPTION
def disable_cmd(name: str, db_url: str) -> None:
    """Disable a user: their sessions end and their tokens stop working."""
    _set_disabled(db_url, name, True)
    click.echo(f"disabled {name}")


@user_group.command("enable")
@click.argument("name")
@DB_OPTION
def enable_cmd(name: str, db_url: str) -> None:
    """Enable a disabled user again."""
    _set_disabled(db_url, name, False)
    click.echo(f"enabled {name}")


@user_group.command("reset")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the new password from standard input.")  # fmt: skip
@DB_OPTION
def reset_cmd(name: str, password_stdin: bool, db_url: str) -> None:
    """Set a user's password, unlock them and end their sessions."""
    password = _password_from_stdin()

    async def go() -> None:
        user = await accounts.get_user(name)
        await accounts.set_password(user, password)
        await accounts.unlock(user)

    run_db(db_url, go)
    click.echo(f"password of {name} reset")


@click.group("token")
def token_group() -> None:
    """API tokens for scripts: create (shown once), list, revoke."""


@token_group.command("create")
@click.argument("name")
@click.option("--user", "user_name", required=True, help="The user the token acts as.")
@DB_OPTION
def token_create_cmd(name: str, user_name: str, db_url: str) -> None:
    """Create a token and print it (once: only its hash is kept)."""

    async def go() -> str:
        return await accounts.create_token(await accounts.get_user(user_name), name)

    click.echo(run_db(db_url, go))


@token_group.command("list")
@click.option("--user", "user_name", required=True)
@DB_OPTION
def token_list_cmd(user_name: str, db_url: str) -> None:
    """A user's tokens, when they were last used, and whether they are revoked."""

    async def go() -> list[ApiToken]:
        return await ApiToken.filter(user=await accounts.get_user(user_name)).order_by("name")

    for t in run_db(db_url, go):
        used = t.last_used_at.isoformat() if t.last_used_at else "never used"
        state = f"revoked {t.revoked_at.isoformat()}" if t.revoked_at else "live"
        click.echo(f"{t.name:24} {state:10} {used}")


@token_group.command("revoke")
@click.argument("name")
@click.option("--user", "user_name", required=True)
@DB_OPTION
def token_revoke_cmd(name: str, user_name: str, db_url: str) -> None:
    """Revoke a token: it stops working at once."""

    async def go() -> bool:
        user = await accounts.get_user(user_name)
        return await accounts.revoke_token(user, name, datetime.now(UTC))

    if not run_db(db_url, go):
        raise ConfigError(f"{user_name} has no live token called {name!r}")
    click.echo(f"revoked {name}")
