"""Principals resolved lately, so a page's burst of requests costs one lookup, not one each.

An entry lives :data:`TTL_S` seconds and is keyed by the credential and the caller's address
(allow-lists depend on it). This instance forgets everything at once when a credential or a
user changes here (logout, revocation, a password, grants, disabling); other instances, and
the console's commands, take effect within :data:`TTL_S`.
"""

import dataclasses
import time

from fleet.office.access import Principal

TTL_S = 2.0
MAX_ENTRIES = 10_000


class PrincipalCache:
    """App state ``fleet.state.PRINCIPALS``."""

    def __init__(self, ttl_s: float = TTL_S) -> None:
        self.ttl_s = ttl_s
        self._items: dict[tuple[str, str, str], tuple[float, Principal]] = {}

    def get(self, key: tuple[str, str, str]) -> Principal | None:
        """A fresh copy of the cached principal (its own timing; scopes shared), or None."""
        found = self._items.get(key)
        if found is None:
            return None
        expires, principal = found
        if time.monotonic() >= expires:
            del self._items[key]
            return None
        return dataclasses.replace(principal, spent_s=0.0)

    def put(self, key: tuple[str, str, str], principal: Principal) -> None:
        """Remember a principal for :data:`TTL_S`."""
        if len(self._items) >= MAX_ENTRIES:
            self._items.clear()
        self._items[key] = (time.monotonic() + self.ttl_s, principal)

    def clear(self) -> None:
        """Forget everything (a credential or a user changed)."""
        self._items.clear()
