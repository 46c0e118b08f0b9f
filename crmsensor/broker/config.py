"""Render ``mqtt_broker_conf/<profile>.conf.in`` into a runnable Mosquitto configuration."""

import getpass
from dataclasses import dataclass
from pathlib import Path
from string import Template

from crmsensor.errors import ConfigError
from crmsensor.paths import BROKER_CONF_DIR

PROFILES = ("dev",)


@dataclass(frozen=True)
class BrokerConfig:
    """Where a rendered broker lives: its config file, data folder, log and port."""

    conf_file: Path
    data_dir: Path
    log_file: Path
    host: str
    port: int


def render_config(
    out_dir: Path, port: int, profile: str = "dev", bind: str = "127.0.0.1"
) -> BrokerConfig:
    """Write ``mosquitto.conf`` (and its data folder) for ``profile`` into ``out_dir``."""
    if profile not in PROFILES:
        raise ConfigError(f"broker profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    if not 1 <= port <= 65535:
        raise ConfigError(f"broker port must be 1-65535, got {port}")
    out_dir = out_dir.resolve()
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = out_dir / "mosquitto.log"
    template = Template((BROKER_CONF_DIR / f"{profile}.conf.in").read_text())
    text = template.substitute(
        port=port, bind=bind, data_dir=data_dir, log_file=log_file, user=getpass.getuser()
    )
    conf_file = out_dir / "mosquitto.conf"
    conf_file.write_text(text)
    return BrokerConfig(conf_file, data_dir, log_file, bind, port)
