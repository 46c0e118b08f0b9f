"""The deployment files under deploy/ say what the code accepts: the instance's settings load
and pass the fleet's checks, the units and containers start commands the CLI knows with
options it has, the container images install a lock file with hashes and copy what exists,
the nginx site points at the instances' address and passes Server-Sent Events unbuffered.
(The images are not built here: no base image can be pulled on this machine.)"""

import json
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

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


def cli_params(argv: list[str]) -> dict[str, Any]:
    """The parameters ``crmsensor`` parses from ``argv`` (its arguments after the program);
    an unknown command or option fails the test."""
    command: click.Command = cli
    args = argv
    while isinstance(command, click.Group):  # down to the command, e.g. fleet serve
        found = command.get_command(click.Context(command), args[0])
        assert found is not None, args[0]
        command, args = found, args[1:]
    ctx = command.make_context("crmsensor", list(args))  # an unknown option raises here
    assert ctx.params
    return ctx.params


@pytest.mark.parametrize("unit", ["crmsensor-fleet@.service", "crmsensor-broker.service"])
def test_the_units_start_commands_the_cli_has(unit: str) -> None:
    argv = exec_start(unit)
    assert argv[0] == "/opt/crmsensor/.venv/bin/crmsensor"
    params = cli_params(argv[1:])
    if unit.startswith("crmsensor-fleet"):
        assert str(params["config"]) == "/etc/crmsensor/fleet-%i.toml"


@pytest.mark.parametrize("name", ["Containerfile.fleet", "Containerfile.kiosk"])
def test_the_images_install_a_lock_and_run_the_cli(name: str) -> None:
    text = (DEPLOY / "containers" / name).read_text()
    lines = text.replace("\\\n", " ").splitlines()
    root = DEPLOY.parent
    for line in lines:
        if line.startswith("COPY "):
            *sources, _dest = line.split()[1:]
            for src in sources:
                assert (root / src).exists(), f"{name} copies {src}, which is not in the repo"
    installs = [x for x in lines if "pip install" in x and "--require-hashes" in x]
    assert installs, f"{name} installs no lock file with hashes"
    lock = re.search(r"-r (requirements-\w+\.lock)", installs[0])
    assert lock and (root / lock.group(1)).exists()
    assert any("--no-deps ." in x for x in lines)  # the project on top, nothing unpinned
    (cmd,) = [x for x in lines if x.startswith("CMD ")]
    argv = json.loads(cmd.removeprefix("CMD "))
    assert argv[0] == "crmsensor"
    cli_params(argv[1:])


def test_the_compose_file_runs_two_instances_of_one_settings_file(tmp_path: Path) -> None:
    folder = DEPLOY / "containers"
    compose = yaml.safe_load((folder / "compose.yaml").read_text())
    services = compose["services"]
    for svc in services.values():
        if "build" in svc:
            assert (folder / svc["build"]["context"] / svc["build"]["dockerfile"]).exists()
            cli_params(svc["command"][1:])
        for volume in svc.get("volumes", []):
            src = volume.split(":")[0]
            if src.startswith("."):  # a file or folder of the repository
                assert (folder / src).exists() or src == "./etc", volume
    fleets = {n: s for n, s in services.items() if s.get("command", [])[1:3] == ["fleet", "serve"]}
    assert len(fleets) >= 2
    ids = set()
    for svc in fleets.values():
        (mount,) = [v for v in svc["volumes"] if v.endswith(":/etc/crmsensor/fleet.toml:ro")]
        text = (folder / mount.split(":")[0]).read_text()
        for path in set(re.findall(r'"(/etc/crmsensor/[^"]+)"', text)):
            mine = tmp_path / Path(path).name
            mine.write_text("[]" if path.endswith(".json") else "x")
            text = text.replace(f'"{path}"', f'"{mine}"')
        (tmp_path / "fleet.toml").write_text(text)
        env = dict(svc["environment"])
        for key, value in env.items():
            if value.startswith("/etc/crmsensor/"):  # mounted files: stand-ins here
                env[key] = str(tmp_path / Path(value).name)
                Path(env[key]).write_text("x")
        s = load_settings(tmp_path / "fleet.toml", env=env)
        assert s.db_url == "postgres://crms@db/crms" and s.broker_host == "broker"
        assert s.share_group == "fleet"
        ids.add(s.client_id)
    assert len(ids) == len(fleets)  # each instance its own MQTT client id and lease name


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
