"""Fleet manager settings, checked where they enter."""

from dataclasses import dataclass
from pathlib import Path

from crmsensor.errors import ConfigError


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
