"""Behind a reverse proxy: the client's address and scheme from ``X-Forwarded-For`` and
``X-Forwarded-Proto``, believed only from the proxies the settings name (``trusted_proxies``),
so the login throttle, sessions and the audit log see the person, not the proxy, and cookies
keep their Secure flag when the proxy terminates TLS. From anyone else the headers are
ignored: a client cannot choose its own address.
"""

import ipaddress
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``values`` (addresses or networks, "10.0.0.5", "10.0.0.0/24") parsed; ValueError names
    the first bad one."""
    out = []
    for v in values:
        try:
            out.append(ipaddress.ip_network(v, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {v!r}") from None
    return tuple(out)


def _trusted(address: str | None, trusted: tuple[Network, ...]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in trusted)


def client_of(peer: str | None, forwarded_for: str, trusted: tuple[Network, ...]) -> str | None:
    """The client's address: walking ``X-Forwarded-For`` from the right, the first hop that is
    not a trusted proxy (None: ``peer`` is not trusted, or the header names no one)."""
    if not _trusted(peer, trusted):
        return None
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return None  # garbage where an address should be: believe nothing
    return None


def middleware(trusted: tuple[Network, ...]) -> Callable[..., Awaitable[web.StreamResponse]]:
    """The app's first middleware when ``trusted_proxies`` is set."""

    @web.middleware
    async def forwarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        client = client_of(request.remote, request.headers.get("X-Forwarded-For", ""), trusted)
        if client is not None:
            proto = request.headers.get("X-Forwarded-Proto", "").lower()
            scheme = proto if proto in ("http", "https") else request.scheme
            request = request.clone(remote=client, scheme=scheme)
        return await handler(request)

    return forwarded
