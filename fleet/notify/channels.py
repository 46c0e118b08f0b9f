"""Notification channels behind one small interface: ``send(address, subject, body)``.

- :class:`WebhookChannel`: an HTTP POST of JSON, signed with HMAC-SHA256 over the body
  (``X-CRMS-Signature: sha256=<hex>``) so the receiver can check it came from the fleet.
- :class:`EmailChannel`: SMTP (STARTTLS and login when configured), via the standard library
  in a worker thread.
- :class:`SmsGatewayChannel`: an HTTP SMS gateway: a POST whose JSON body comes from a template
  with ``$to`` and ``$text`` (gateways differ; the template adapts to one).

A channel raises :class:`ChannelError` with a short reason; the sender records it and retries.
"""

import asyncio
import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from string import Template
from typing import Protocol

import aiohttp

from crmsensor.errors import CrmsError

TIMEOUT_S = 10.0


class ChannelError(CrmsError):
    """A notification could not be delivered (the reason is recorded with the attempt)."""


class Channel(Protocol):
    """Where notifications go."""

    name: str

    async def send(self, address: str, subject: str, body: str) -> None:
        """Deliver one message or raise :class:`ChannelError`."""


def signature(secret: str, payload: bytes) -> str:
    """The ``X-CRMS-Signature`` header of a webhook payload."""
    return "sha256=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


async def _post(url: str, payload: bytes, headers: dict[str, str]) -> None:
    try:
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.post(url, data=payload, headers=headers) as r,
        ):
            if r.status >= 300:
                raise ChannelError(f"{url} answered {r.status}")
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ChannelError(f"{url}: {type(exc).__name__} {exc}"[:300]) from None


@dataclass
class WebhookChannel:
    """POST ``{"subject", "body", "sent_at"}`` to the subscription's URL, signed."""

    secret: str
    name: str = "webhook"

    async def send(self, address: str, subject: str, body: str) -> None:
        payload = json.dumps({"subject": subject, "body": body, "sent_at": time.time()}).encode()
        headers = {
            "Content-Type": "application/json",
            "X-CRMS-Signature": signature(self.secret, payload),
        }
        await _post(address, payload, headers)


@dataclass
class EmailChannel:
    """Mail through an SMTP server."""

    host: str
    port: int = 25
    sender: str = "crmsensor@localhost"
    starttls: bool = False
    user: str = ""
    password: str = ""
    name: str = "email"

    def _send(self, address: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, address, subject
        msg.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(msg)

    async def send(self, address: str, subject: str, body: str) -> None:
        try:
            await asyncio.to_thread(self._send, address, subject, body)
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelError(f"SMTP {self.host}:{self.port}: {exc}"[:300]) from None


DEFAULT_SMS_TEMPLATE = '{"to": "$to", "text": "$text"}'


@dataclass
class SmsGatewayChannel:
    """Text messages through an HTTP gateway."""

    url: str
    template: str = DEFAULT_SMS_TEMPLATE
    token: str = ""  # sent as a bearer token when set
    max_chars: int = 320
    name: str = "sms"

    async def send(self, address: str, subject: str, body: str) -> None:
        text = f"{subject}: {body}"[: self.max_chars]
        # JSON-escape the values, then drop the quotes the template already has around them.
        fill = {"to": json.dumps(address)[1:-1], "text": json.dumps(text)[1:-1]}
        payload = Template(self.template).safe_substitute(fill).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        await _post(self.url, payload, headers)


def configured(
    webhook_secret: str,
    smtp: EmailChannel | None,
    sms: SmsGatewayChannel | None,
) -> dict[str, Channel]:
    """The channels that are set up, by name."""
    out: dict[str, Channel] = {}
    if webhook_secret:
        out["webhook"] = WebhookChannel(webhook_secret)
    if smtp is not None:
        out["email"] = smtp
    if sms is not None:
        out["sms"] = sms
    return out
