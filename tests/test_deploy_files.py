"""The deployment files under deploy/ say what the code accepts: the instance's settings load
and pass the fleet's checks, the units start commands the CLI knows with options it has, the
nginx site points at the instances' address and passes Server-Sent Events unbuffered."""

import re
import shlex
from pathlib import Path

import click
import pytest

from cli.main import cli
from fleet.content import media
from fleet.settings import load_settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def exec_start(unit: str) -> list[str]:
    (line,) = [x for x in (DEPLOY / "systemd" / unit).read_text().splitlines()
               if x.startswith("ExecStart=")]  # fmt: skip
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_instance_settings_load(tmp_path: Path) -> None:
    text = (DEPLOY / "fleet" / "fleet-1.toml").read_text()
    for path in set(re.findall(r'"(/etc/crmsensor/[^"]+)"', text)):
        mine = tmp_path / Path(path).name
        mine.write_text("[]" if path.endswith(".json") else "x")
        text = text.replace(f'"{path}"', f'"{mine}"')
    (tmp_path / "fleet-1.toml").write_text(text)
    s = load_settings(tmp_path / "fleet-1.toml", env={})
    assert s.client_id == "fleet-1" and s.share_group == "fleet"
    assert s.db_url.startswith("postgres://") and s.s3.bucket
    assert (s.http_host, s.http_port) == ("0.0.0.0", 8443) and s.http_tls.cert
    assert s.trusted_proxies  # the proxy's X-Forwarded-For is believed


@pytest.mark.parametrize("unit", ["crmsensor-fleet@.service", "crmsensor-broker.service"])
def test_the_units_start_commands_the_cli_has(unit: str) -> None:
    argv = exec_start(unit)
    assert argv[0] == "/opt/crmsensor/.venv/bin/crmsensor"
    command: click.Command = cli
    args = argv[1:]
    while isinstance(command, click.Group):  # down to the command, e.g. fleet serve
        found = command.get_command(click.Context(command), args[0])
        assert found is not None, args[0]
        command, args = found, args[1:]
    ctx = command.make_context(argv[0], list(args))  # an unknown option raises here
    assert ctx.params
    if unit.startswith("crmsensor-fleet"):
        assert str(ctx.params["config"]) == "/etc/crmsensor/fleet-%i.toml"


def test_the_proxy_reaches_every_instance_and_streams_live_views() -> None:
    site = (DEPLOY / "nginx" / "crmsensor-office.conf").read_text()
    upstream = re.search(r"upstream crmsensor_fleet \{(.*?)\}", site, re.S)
    assert upstream is not None
    servers = re.findall(r"server (\S+):(\d+)", upstream.group(1))
    assert len(servers) >= 2 and {port for _, port in servers} == {"8443"}  # as in fleet-1.toml
    live = re.search(r"location /api/v1/live \{(.*?)\}", site, re.S)
    assert live is not None and "proxy_buffering off;" in live.group(1)
    for header in ("X-Forwarded-For", "X-Forwarded-Proto"):  # fleet/office/forwarded.py
        assert re.search(rf"proxy_set_header {header} \$", site), header
    assert not re.search(r"^\s*(sticky|ip_hash|hash )", site, re.M)  # sessions are in the DB
    body = re.search(r"client_max_body_size (\d+)m;", site)
    assert body is not None and int(body.group(1)) * 2**20 > media.MAX_VIDEO_BYTES
