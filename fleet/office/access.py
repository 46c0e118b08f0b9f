"""The access model: sections (what areas a user sees), functions (what they may do there) and
scope (a subtree of organisation -> region -> station), bundled in roles.

One registry of sections and their functions; later capabilities add theirs with
:func:`add_section`. A :class:`Principal` (the user behind a session, token or certificate,
with their grants) answers :meth:`Principal.allows` for a route and, for objects, which stations
it may see (:meth:`Principal.stations`) so that list queries filter by scope in SQL.
"""

import time
from dataclasses import dataclass, field

from crmsensor.errors import ConfigError
from fleet.hierarchy.stations import organisation_of_region, stations_under

# section -> its functions
SECTIONS: dict[str, tuple[str, ...]] = {}


def add_section(name: str, functions: tuple[str, ...]) -> None:
    """Register a section and its functions (a capability's own, e.g. ``updates``)."""
    SECTIONS[name] = tuple(dict.fromkeys((*SECTIONS.get(name, ()), *functions)))


add_section("devices", ("view", "command", "manage"))  # manage: register, move, decommission
add_section("hierarchy", ("view", "manage"))
add_section("recordings", ("view", "download"))  # download covers listening
add_section("alerts", ("view", "acknowledge"))
add_section("users", ("view", "manage"))
add_section("audit", ("view",))
add_section("system", ("view",))  # ingest counters, metrics
add_section("account", ("use",))  # one's own account: every signed-in principal

Grants = dict[str, frozenset[str]]  # section -> functions

_VIEW_ALL: Grants = {
    "devices": frozenset({"view"}),
    "hierarchy": frozenset({"view"}),
    "recordings": frozenset({"view"}),
    "alerts": frozenset({"view"}),
}


def _all_functions() -> Grants:
    return {s: frozenset(f) for s, f in SECTIONS.items()}


# role -> what it may do; "admin" is every function of every section, resolved when asked so
# sections added later are included.
ROLES: dict[str, Grants] = {
    "operator": {
        **_VIEW_ALL,
        "devices": frozenset({"view", "command", "manage"}),
        "hierarchy": frozenset({"view", "manage"}),
        "alerts": frozenset({"view", "acknowledge"}),
        "system": frozenset({"view"}),
    },
    "regional_manager": {
        **_VIEW_ALL,
        "recordings": frozenset({"view", "download"}),
        "alerts": frozenset({"view", "acknowledge"}),
    },
    "station_manager": {
        **_VIEW_ALL,
        "recordings": frozenset({"view", "download"}),
        "alerts": frozenset({"view", "acknowledge"}),
    },
    "reviewer": {
        "hierarchy": frozenset({"view"}),
        "recordings": frozenset({"view", "download"}),
    },
    "auditor": {**_VIEW_ALL, "audit": frozenset({"view"}), "users": frozenset({"view"})},
    "viewer": dict(_VIEW_ALL),
    # marketing: the kiosks' scenarios and ads (sections surveys and content add to it)
    "marketer": {"hierarchy": frozenset({"view"}), "devices": frozenset({"view"})},
}
ROLE_NAMES = ("admin", *ROLES)
SCOPE_KINDS = ("all", "organisation", "region", "station")


def role_grants(role: str) -> Grants:
    """What ``role`` may do (KeyError for an unknown role)."""
    if role == "admin":
        return _all_functions()
    return ROLES[role]


def add_role_functions(role: str, section: str, functions: tuple[str, ...]) -> None:
    """Give an existing role functions of a (new) section."""
    ROLES[role] = {**ROLES[role], section: ROLES[role].get(section, frozenset()) | set(functions)}


@dataclass(frozen=True)
class Scope:
    """A subtree of the hierarchy: ``all``, or one organisation, region or station."""

    kind: str = "all"
    id: str = ""

    def __str__(self) -> str:
        return "all" if self.kind == "all" else f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> "Scope":
        """``all``, ``organisation:ID``, ``region:ID`` or ``station:ID`` (:class:`ConfigError`
        naming what is wrong)."""
        if text in ("", "all"):
            return cls()
        kind, sep, ident = text.partition(":")
        if not sep or kind not in SCOPE_KINDS[1:] or not ident or len(ident) > 64:
            raise ConfigError(
                f"scope must be all, organisation:ID, region:ID or station:ID, got {text!r}"
            )
        return cls(kind, ident)


@dataclass
class Principal:
    """Who is asking, and what their grants allow. ``via``: session, token or cert."""

    user_id: int
    name: str
    via: str
    grants: list[tuple[str, Scope]]
    csrf: str = ""  # the session's CSRF token ("" for tokens and certificates)
    _stations: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)
    spent_s: float = 0.0  # time spent resolving scopes (the Server-Timing header shows it)

    def scopes_for(self, section: str, function: str) -> list[Scope]:
        """The scopes in which this principal may do ``function`` in ``section``."""
        if section == "account":
            return [Scope()]
        out = []
        for role, scope in self.grants:
            try:
                allowed = role_grants(role).get(section, frozenset())
            except KeyError:
                continue  # a role removed from the code since the grant was made
            if function in allowed:
                out.append(scope)
        return out

    def everywhere(self, section: str, function: str) -> bool:
        """May the principal do ``function`` in ``section`` over the whole fleet (what
        organisations, users and the audit log need)?"""
        return any(s.kind == "all" for s in self.scopes_for(section, function))

    def allows(self, section: str, function: str) -> bool:
        """May the principal do ``function`` in ``section`` anywhere? (Everyone signed in may
        use their own ``account``.)"""
        return section == "account" or bool(self.scopes_for(section, function))

    async def stations(self, section: str, function: str) -> frozenset[str] | None:
        """The station ids in scope for ``function`` in ``section``; None: every station
        (and objects with no station)."""
        key = (section, function)
        if key not in self._stations:
            started = time.perf_counter()
            if self.everywhere(section, function):
                self._stations[key] = None
            else:
                found: set[str] = set()
                for s in self.scopes_for(section, function):
                    found |= await stations_under(s.kind, s.id)
                self._stations[key] = frozenset(found)
            self.spent_s += time.perf_counter() - started
        return self._stations[key]

    async def can(self, section: str, function: str, station_id: str | None) -> bool:
        """May the principal do ``function`` on an object at ``station_id``?"""
        stations = await self.stations(section, function)
        return stations is None or (station_id is not None and station_id in stations)

    async def can_region(self, section: str, function: str, region_id: int) -> bool:
        """May the principal do ``function`` on a whole region (move a station into it)?"""
        for s in self.scopes_for(section, function):
            if s.kind == "all" or (s.kind == "region" and s.id == str(region_id)):
                return True
            if s.kind == "organisation":
                org = await organisation_of_region(region_id)
                if org is not None and s.id == str(org):
                    return True
        return False
