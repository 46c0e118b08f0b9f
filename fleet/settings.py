"""Fleet manager settings: defaults, a TOML file, then environment variables, checked at start.

File (``crmsensor fleet serve --config fleet.toml``)::

    db_url = "sqlite:///var/lib/crmsensor/fleet.sqlite3"
    objects_dir = "/var/lib/crmsensor/objects"
    broker = "127.0.0.1:1883"
    http = "127.0.0.1:8080"
    client_id = "fleet-1"
    share_group = "fleet"            # several instances split the load

    [retention]
    raw_telemetry_days = 7
    hourly_days = 400
    recording_days = 90

    [health]                          # fleet.health.HealthRules
    battery_low_pct = 20
    latest_fw = { badge = "0.2.0", kiosk = "0.2.0" }

Environment (wins over the file): ``CRMS_FLEET_DB_URL``, ``CRMS_FLEET_OBJECTS_DIR``,
``CRMS_FLEET_BROKER``, ``CRMS_FLEET_HTTP``, ``CRMS_FLEET_CLIENT_ID``, ``CRMS_FLEET_SHARE_GROUP``.
Every error names the key and where it came from.
"""

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsensor.errors import ConfigError
from fleet.health import HealthRules


@dataclass(frozen=True)
class Retention:
    """How long data is kept."""

    raw_telemetry_days: float = 7.0
    hourly_days: float = 400.0
    recording_days: float = 90.0


@dataclass(frozen=True)
class FleetSettings:
    """Everything a fleet instance needs to run."""

    db_url: str
    broker_host: str = "127.0.0.1"
    broker_port: int = 1883
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    objects_dir: Path = Path(".run/objects")
    client_id: str = "fleet-1"
    share_group: str | None = None
    retention: Retention = field(default_factory=Retention)
    health: HealthRules = field(default_factory=HealthRules)
    # How often background work runs (seconds); tests shorten them.
    sweep_s: float = 1.0
    health_s: float = 30.0
    retention_s: float = 3600.0

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first bad setting."""
        if not self.db_url.startswith(("sqlite://", "postgres://", "asyncpg://")):
            raise ConfigError(
                f"fleet: db_url must be sqlite://PATH or postgres://..., got {self.db_url!r}"
            )
        for name in ("broker_port", "http_port"):
            value = getattr(self, name)
            if not 0 <= value <= 65535:
                raise ConfigError(f"fleet: {name} must be 0-65535, got {value}")
        for name in ("sweep_s", "health_s", "retention_s"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"fleet: {name} must be > 0")
        for f in dataclasses.fields(Retention):
            if getattr(self.retention, f.name) <= 0:
                raise ConfigError(f"fleet: retention.{f.name} must be > 0")


def host_port(value: str, what: str) -> tuple[str, int]:
    """``"HOST:PORT"`` -> (host, port), or :class:`ConfigError` naming ``what``."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"{what} must be HOST:PORT, got {value!r}")
    return host, int(port)


def _section(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    known = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{where}.{key} is not a setting (known: {', '.join(known)})")
        default = getattr(cls(), key)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        ok = type(value) is type(default) or (isinstance(default, float) and number)
        if not ok:
            raise ConfigError(f"{where}.{key} must be {type(default).__name__}, got {value!r}")
        values[key] = float(value) if isinstance(default, float) else value
    return cls(**values)


_TOP = {"db_url", "objects_dir", "broker", "http", "client_id", "share_group"}


def load_settings(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> FleetSettings:
    """Defaults, then the TOML file at ``path``, then ``env``, then ``overrides``; checked."""
    raw: dict[str, Any] = {}
    where = "settings"
    if path is not None:
        where = str(path)
        try:
            raw = tomllib.loads(path.read_text())
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "retention":
            values["retention"] = _section(Retention, value, f"{where}: retention")
        elif key == "health":
            values["health"] = _section(HealthRules, value, f"{where}: health")
        elif key in _TOP:
            if not isinstance(value, str):
                raise ConfigError(f"{where}: {key} must be a string, got {value!r}")
            values[key] = value
        else:
            known = ", ".join(sorted([*_TOP, "retention", "health"]))
            raise ConfigError(f"{where}: {key} is not a setting (known: {known})")
    for key in _TOP:
        name = f"CRMS_FLEET_{key.upper()}"
        if env and name in env:
            values[key] = env[name]
            where_key = name
        else:
            where_key = f"{where}: {key}"
        if key in ("broker", "http") and key in values and isinstance(values[key], str):
            h, p = host_port(values.pop(key), where_key)
            values[f"{key}_host" if key == "broker" else "http_host"] = h
            values["broker_port" if key == "broker" else "http_port"] = p
    if "objects_dir" in values:
        values["objects_dir"] = Path(values["objects_dir"])
    values.update({k: v for k, v in overrides.items() if v is not None})
    values.setdefault("db_url", "sqlite://.run/fleet.sqlite3")
    settings = FleetSettings(**values)
    settings.check()
    return settings
