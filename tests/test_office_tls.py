"""The web office over HTTPS with a server certificate from the fleet CA: cookies become
Secure, and a browser may log in with a ``user`` certificate from the same CA (revoked ones
are refused by the CRL)."""

import ssl
from pathlib import Path

import aiohttp
import pytest

from devtools.broker import MosquittoProcess
from fleet.identity.ca import FleetCA, PassphraseKeyStore
from fleet.office import accounts
from fleet.settings import HttpTls
from tests.conftest import _fleet_settings, running_fleet

PASSWORD = "a long enough password"


def _ca(tmp_path: Path) -> tuple[FleetCA, HttpTls]:
    ca = FleetCA.create(tmp_path / "ca", PassphraseKeyStore("test passphrase"))
    ca.issue("server", "127.0.0.1", hosts=["127.0.0.1"]).save(
        tmp_path / "office.crt", tmp_path / "office.key"
    )
    for name in ("ana", "bob"):
        ca.issue("user", name).save(tmp_path / f"{name}.crt", tmp_path / f"{name}.key")
    ca.write_crl()
    tls = HttpTls(
        cert=str(tmp_path / "office.crt"),
        key=str(tmp_path / "office.key"),
        client_ca=str(ca.cert_file),
        client_crl=str(ca.crl_file),
    )
    return ca, tls


def _client(ca: FleetCA, tmp_path: Path, user: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca.cert_file))
    if user:
        ctx.load_cert_chain(tmp_path / f"{user}.crt", tmp_path / f"{user}.key")
    return ctx


async def test_https_secure_cookies_and_certificate_login(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    ca, tls = _ca(tmp_path)
    async with running_fleet(_fleet_settings(broker, tmp_path, http_tls=tls)) as fleet:
        assert fleet.url.startswith("https://")
        await accounts.add_user("ana", PASSWORD, [accounts.GrantSpec("viewer")])
        async with aiohttp.ClientSession() as http:
            me = fleet.url + "api/v1/me"
            async with http.get(me, ssl=_client(ca, tmp_path, "ana")) as r:
                assert r.status == 200 and (await r.json())["via"] == "cert"
                assert (await r.json())["name"] == "ana"
            async with http.get(me, ssl=_client(ca, tmp_path, "bob")) as r:
                assert r.status == 401  # a valid certificate, but no such user
            async with http.get(me, ssl=_client(ca, tmp_path, None)) as r:
                assert r.status == 401  # certificates are optional; then a login is needed
            async with http.post(
                fleet.url + "api/v1/session",
                json={"name": "ana", "password": PASSWORD},
                ssl=_client(ca, tmp_path, None),
            ) as r:
                assert r.status == 200 and "Secure" in r.headers["Set-Cookie"]
    ca.revoke_name("user-ana")
    async with (
        running_fleet(_fleet_settings(broker, tmp_path, http_tls=tls)) as fleet,
        aiohttp.ClientSession() as http,
    ):
        with pytest.raises(aiohttp.ClientError):
            async with http.get(fleet.url + "api/v1/me", ssl=_client(ca, tmp_path, "ana")):
                pass
