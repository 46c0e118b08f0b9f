"""Certificate renewal over MQTT: devices get a new certificate before theirs expires.

Device certificates are short-lived (30 days). When a device's newest certificate has less than
:data:`RENEW_WITHIN` left, the fleet issues a new one and sends it, with its key, as the
``renew_cert`` command (docs/protocol.md): DER for badges, PEM for kiosks. The command travels
only over the device's own TLS connection, and the broker's ACL lets no one else read it. The
device installs the pair,
answers, and reconnects with it. Then the fleet revokes the older certificates; a renewal that
failed or expired revokes the new, never-installed one instead. Either way the private key is
removed from the stored command as soon as the command is closed, and the API never shows it.

The key is made by the fleet because MicroPython cannot make EC keys; a device that could
would send a CSR instead (a later refinement of the contract).
"""

import base64
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from fleet.devices.commands import queue_command
from fleet.devices.models import Command, Device
from fleet.identity.broker_access import signal_reload
from fleet.identity.ca import FleetCA, Issued

log = logging.getLogger("fleet.renewal")

RENEW_WITHIN = timedelta(days=10)  # must stay well below fleet.identity.ca.DEVICE_DAYS (30)
COMMAND_TTL_S = 24 * 3600
OP = "renew_cert"


async def start_renewals(ca: FleetCA, now: datetime | None = None) -> list[str]:
    """Queue a renewal for every device whose newest certificate is due; their ids."""
    now = now or datetime.now(UTC)
    rows = await Command.filter(op=OP, state__in=("queued", "sent")).values_list(
        "device_id", flat=True
    )
    pending = {str(d) for d in rows}
    kinds = {str(i): str(k) for i, k in await Device.all().values_list("id", "kind")}
    newest: dict[str, str] = {}
    for e in ca.entries():
        if e.kind == "device" and e.revoked_at is None and e.name in kinds:
            newest[e.name] = max(newest.get(e.name, ""), e.not_after)
    started = []
    for device_id, not_after in sorted(newest.items()):
        if device_id in pending or datetime.fromisoformat(not_after) - now > RENEW_WITHIN:
            continue
        issued = ca.issue("device", device_id)
        args = {"serial": f"{issued.entry.serial:x}", **_pair(issued, kinds[device_id])}
        await queue_command(device_id, OP, args, ttl_s=COMMAND_TTL_S)
        started.append(device_id)
        log.info("renewing %s's certificate (expires %s)", device_id, not_after)
    return started


def _pair(issued: Issued, kind: str) -> dict[str, str]:
    """The certificate and key as the device reads them: base64 DER (MicroPython) or PEM."""
    if kind != "badge":
        return {"format": "pem", "cert": issued.cert_pem.decode(), "key": issued.key_pem.decode()}
    cert = x509.load_pem_x509_certificate(issued.cert_pem)
    key = serialization.load_pem_private_key(issued.key_pem, None)
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {
        "format": "der",
        "cert": base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(),
        "key": base64.b64encode(der_key).decode(),
    }


async def finish_renewals(ca: FleetCA, broker_pid_file: Path | None = None) -> int:
    """Close answered or expired renewals: revoke what is no longer in use, forget the key.
    Returns how many certificates were revoked (the broker is told to reload the CRL)."""
    revoked = 0
    for c in await Command.filter(op=OP, state__in=("done", "expired")):
        if "key" not in c.args:
            continue
        device_id = c.device_id  # type: ignore[attr-defined]
        serial = int(c.args["serial"], 16)
        if c.state == "done" and c.ok:
            for e in ca.valid_for(device_id):
                if e.serial != serial:
                    ca.revoke(e.serial, "superseded")
                    revoked += 1
                else:
                    await Device.filter(id=device_id).update(cert_fingerprint=e.fingerprint)
            log.info("%s renewed its certificate (%x)", device_id, serial)
        else:
            ca.revoke(serial, "cessation_of_operation")
            revoked += 1
            why = c.error or c.state
            log.warning("%s did not install its new certificate (%s)", device_id, why)
        c.args = {"serial": c.args["serial"], "format": c.args.get("format")}
        await c.save(update_fields=["args"])
    if revoked and broker_pid_file is not None:
        signal_reload(broker_pid_file)
    return revoked
