"""Render ``mqtt_broker_conf/`` into a runnable Mosquitto configuration.

A configuration is ``common.conf.in`` (persistence, limits, logging) followed by the profile's
listener: ``dev`` (loopback, anonymous: for tests of the contract) or ``tls`` (client
certificates from the fleet CA and the ACL file generated from the registry).
"""

import getpass
from dataclasses import dataclass
from pathlib import Path
from string import Template

from crmsensor.errors import ConfigError
from devtools.paths import BROKER_CONF_DIR

PROFILES = ("dev", "tls")


@dataclass(frozen=True)
class TlsFiles:
    """What the ``tls`` profile needs: the fleet CA, the broker's certificate and key, the
    CRL and the ACL file (all PEM, all readable by the broker's user)."""

    cafile: Path
    certfile: Path
    keyfile: Path
    crlfile: Path
    acl_file: Path


@dataclass(frozen=True)
class BrokerConfig:
    """Where a rendered broker lives: its config file, data folder, log, port and TLS files."""

    conf_file: Path
    data_dir: Path
    log_file: Path
    host: str
    port: int
    tls: TlsFiles | None = None

    @property
    def pid_file(self) -> Path:
        return self.conf_file.parent / "mosquitto.pid"


def render_config(
    out_dir: Path,
    port: int,
    profile: str = "dev",
    bind: str = "127.0.0.1",
    tls: TlsFiles | None = None,
) -> BrokerConfig:
    """Write ``mosquitto.conf`` (and its data folder) for ``profile`` into ``out_dir``."""
    if profile not in PROFILES:
        raise ConfigError(f"broker profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    if not 1 <= port <= 65535:
        raise ConfigError(f"broker port must be 1-65535, got {port}")
    if (profile == "tls") != (tls is not None):
        raise ConfigError("the tls profile needs its TLS files, and only it takes them")
    out_dir = out_dir.resolve()
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = out_dir / "mosquitto.log"
    values: dict[str, object] = {
        "port": port,
        "bind": bind,
        "data_dir": data_dir,
        "log_file": log_file,
        "user": getpass.getuser(),
        "pid_file": out_dir / "mosquitto.pid",
    }
    if tls is not None:
        for name, path in vars(tls).items():
            if not Path(path).is_file():
                raise ConfigError(f"broker {name} {path} does not exist")
            values[name] = Path(path).resolve()
    text = "".join(
        Template((BROKER_CONF_DIR / name).read_text()).substitute(values)
        for name in ("common.conf.in", f"{profile}.conf.in")
    )
    conf_file = out_dir / "mosquitto.conf"
    conf_file.write_text(text)
    return BrokerConfig(conf_file, data_dir, log_file, bind, port, tls)
