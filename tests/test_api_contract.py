"""The API's published contract holds: the served OpenAPI document is valid OpenAPI 3.1, and
schemathesis (every check) run against it, authenticated as an admin, finds no server error,
no schema violation, no undocumented status code, no schema-valid request refused and no
schema-invalid one accepted.

Two generation settings state the contract rather than loosen it: request strings are UTF-8
(JSON text is; a lone surrogate cannot be stored or sent to a device) and hold no NUL (which
PostgreSQL text cannot hold; the API refuses both with a 400, tested in test_office_accounts
and below)."""

import asyncio
import re
import sys
from pathlib import Path

import aiohttp
from openapi_spec_validator import validate

from tests.conftest import SQLITE_ONLY, FleetProcess

EXAMPLES_PER_OPERATION = 8


async def test_the_served_document_is_valid_openapi(fleet_process: FleetProcess) -> None:
    doc = await fleet_process.get("api/v1/openapi.json")
    validate(doc)  # raises with the first problem
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if op.get("security") != []:
                assert {"401", "403"} <= codes, (method, path)
            assert any(c.startswith("2") for c in codes), (method, path)


# once (about two minutes): the document and the routes are the same on both databases, and
# each database's queries have their own tests
@SQLITE_ONLY
async def test_schemathesis_finds_nothing(fleet_process: FleetProcess, tmp_path: Path) -> None:
    token = fleet_process.auth["Authorization"].removeprefix("Bearer ")
    argv = [
        sys.executable, "-m", "schemathesis.cli", "run",
        fleet_process.url + "api/v1/openapi.json",
        "--checks", "all",
        "--header", f"Authorization: Bearer {token}",
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        "--seed", "20261129",
        "--workers", "1",
        "--generation-codec", "utf-8",
        "--generation-allow-x00", "false",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    proc = await asyncio.create_subprocess_exec(  # in tmp_path: its cache stays out of the tree
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=tmp_path
    )
    out, _ = await proc.communicate()
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text[-6000:] + "\n--- fleet log ---\n" + fleet_process.log()
    doc = await fleet_process.get("api/v1/openapi.json")
    operations = sum(len(ops) for ops in doc["paths"].values())
    selected = re.search(r"Selected: (\d+)/(\d+)", text)
    tested = re.search(r"Tested: (\d+)", text)
    cases = re.search(r"(\d+) generated, (\d+) passed", text)
    assert selected and tested and cases, text[-3000:]
    # every operation but the document itself, which schemathesis leaves out
    assert int(tested.group(1)) == int(selected.group(1)) == operations - 1, text[-3000:]
    assert int(cases.group(1)) == int(cases.group(2)) > 20 * operations, text[-3000:]


async def test_nul_and_broken_unicode_are_refused_with_a_reason(
    fleet_process: FleetProcess,
) -> None:
    headers = {**fleet_process.auth, "Content-Type": "application/json"}
    async with aiohttp.ClientSession(headers=headers) as http:
        url = fleet_process.url + "api/v1/organisations"
        async with http.post(url, data=b'{"name": "a\\u0000b"}') as r:
            assert r.status == 400 and "NUL" in (await r.json())["error"]
        async with http.get(fleet_process.url + "api/v1/devices?station=a%00b") as r:
            assert r.status == 400 and "NUL" in (await r.json())["error"]
        async with http.post(url, data=b'{"name": "\\udb3d"}') as r:
            assert r.status == 400 and "hex escape" in (await r.json())["error"]
