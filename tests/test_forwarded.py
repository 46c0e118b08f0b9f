"""Behind a reverse proxy (fleet/office/forwarded.py): the client's address and scheme are
taken from X-Forwarded-For / -Proto only when the peer is a proxy the settings trust, so
failed logins count against the person, not the proxy, and the session cookie stays Secure
when the proxy terminates TLS; anyone else's headers are ignored."""

from pathlib import Path

import aiohttp
import pytest

from crmsensor.errors import ConfigError
from devtools.broker import MosquittoProcess
from fleet.office import accounts
from fleet.office.forwarded import client_of, networks
from fleet.office.models import LoginFailure, LoginSession
from fleet.settings import load_settings
from tests.conftest import SQLITE_ONLY, _fleet_settings, running_fleet
from tests.office_world import PASSWORD

PROXIES = networks(["10.0.0.5", "10.1.0.0/24"])


def test_only_trusted_proxies_are_believed() -> None:
    assert client_of("10.0.0.5", "203.0.113.7", PROXIES) == "203.0.113.7"
    # the proxy chain is walked from the right; a hop the client wrote itself is ignored
    assert client_of("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.1.0.9", PROXIES) == "203.0.113.7"
    assert client_of("198.51.100.1", "203.0.113.7", PROXIES) is None  # not a proxy of ours
    assert client_of("10.0.0.5", "", PROXIES) is None
    assert client_of("10.0.0.5", "not-an-address", PROXIES) is None
    assert client_of(None, "203.0.113.7", PROXIES) is None
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        networks(["10.0.0.300"])


def test_a_bad_proxy_in_the_settings_is_named(tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text('trusted_proxies = ["10.0.0.5", "proxy.example"]\n')
    with pytest.raises(ConfigError, match=r"trusted_proxies: not an IP address.*proxy\.example"):
        load_settings(path, env={})
    path.write_text('trusted_proxies = "10.0.0.5"\n')
    with pytest.raises(ConfigError, match="trusted_proxies must be a list"):
        load_settings(path, env={})


@SQLITE_ONLY
async def test_logins_through_the_proxy_see_the_person(
    broker: MosquittoProcess, tmp_path: Path, fleet_db_url: str
) -> None:
    settings = _fleet_settings(broker, tmp_path, fleet_db_url, trusted_proxies=("127.0.0.1",))
    async with running_fleet(settings) as fleet:
        await accounts.add_user("mgr", PASSWORD, [accounts.GrantSpec("admin")])
        via = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        async with aiohttp.ClientSession() as http:
            wrong = {"name": "mgr", "password": "not the password at all"}
            async with http.post(fleet.url + "api/v1/session", json=wrong, headers=via) as r:
                assert r.status == 401
            (failure,) = await LoginFailure.all()
            assert failure.address == "203.0.113.7"  # the person, not the proxy (127.0.0.1)
            right = {"name": "mgr", "password": PASSWORD}
            async with http.post(fleet.url + "api/v1/session", json=right, headers=via) as r:
                assert r.status == 200
                cookie = r.headers.getall("Set-Cookie")
        (session,) = await LoginSession.all()
        assert session.address == "203.0.113.7"
        assert any("Secure" in c for c in cookie)  # TLS ended at the proxy: still Secure
