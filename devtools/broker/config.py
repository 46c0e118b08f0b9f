"""Render ``mqtt_broker_conf/`` into a runnable Mosquitto configuration.

A configuration is ``common.conf.in`` (persistence, limits, logging) followed by the profile's
listener: ``dev`` (loopback, anonymous: for tests of the contract) or ``tls`` (client
certificates from the fleet CA and the ACL file generated from the registry).

The broker never keeps root's privileges. Started by a normal user it runs as that user.
Started as root (a service, a CI container) it drops to a dedicated user
(:func:`broker_user`: ``mosquitto``, which Debian's package and ``./bootstrap.sh`` create, or
``CRMS_BROKER_USER``), so what it opens after dropping is made reachable by that user: its
folder (config, data, log, pid) is handed to it, the CA certificate and its own certificate
and key are copied into the folder (``tls/``, the key 0600), and the files it re-reads on
SIGHUP (the CRL, the ACL) get read permission for others, their folders search permission
(not listing: the CA's key stays 0600 in a folder nobody can list).
"""

import getpass
import os
import pwd
import shutil
import stat
from dataclasses import dataclass, replace
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
    user = broker_user()
    out_dir = out_dir.resolve()
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file = out_dir / "mosquitto.log"
    values: dict[str, object] = {
        "port": port,
        "bind": bind,
        "data_dir": data_dir,
        "log_file": log_file,
        "user": user,
        "pid_file": out_dir / "mosquitto.pid",
    }
    if tls is not None:
        for name, path in vars(tls).items():
            if not Path(path).is_file():
                raise ConfigError(f"broker {name} {path} does not exist")
        if os.geteuid() == 0:
            tls = _copy_for(user, tls, out_dir / "tls")
        for name, path in vars(tls).items():
            values[name] = Path(path).resolve()
    text = "".join(
        Template((BROKER_CONF_DIR / name).read_text()).substitute(values)
        for name in ("common.conf.in", f"{profile}.conf.in")
    )
    conf_file = out_dir / "mosquitto.conf"
    conf_file.write_text(text)
    if os.geteuid() == 0:
        _hand_over(user, out_dir)
    return BrokerConfig(conf_file, data_dir, log_file, bind, port, tls)


def broker_user() -> str:
    """The user the broker runs as: the invoking one, or a dedicated one when that is root."""
    if os.geteuid() != 0:
        return getpass.getuser()
    name = os.environ.get("CRMS_BROKER_USER", "mosquitto")
    if name == "root":
        raise ConfigError("CRMS_BROKER_USER=root: the broker must not keep root's privileges")
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise ConfigError(
            f"started as root, the broker drops to the user {name!r}, which does not exist: "
            f"create it (useradd --system --no-create-home {name}) or set CRMS_BROKER_USER"
        ) from None
    return name


def _searchable(folder: Path) -> None:
    """Give others search permission (not read) on ``folder`` and every folder above it."""
    for d in [folder, *folder.parents]:
        mode = d.stat().st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(d, stat.S_IMODE(mode) | stat.S_IXOTH)


def _copy_for(user: str, tls: TlsFiles, folder: Path) -> TlsFiles:
    """The TLS files as ``user`` can read them: certificates and key copied into ``folder``
    (owned by the user; the key 0600); the CRL and ACL, which change while the broker runs
    and are re-read on SIGHUP, left in place and made readable."""
    pw = pwd.getpwnam(user)
    folder.mkdir(parents=True, exist_ok=True)
    copies = {}
    for name in ("cafile", "certfile", "keyfile"):
        src = Path(getattr(tls, name)).resolve()
        dst = folder / src.name
        if src != dst.resolve():  # `crmsensor broker run` keeps them in this folder already
            shutil.copyfile(src, dst)
        os.chmod(dst, 0o600 if name == "keyfile" else 0o644)
        os.chown(dst, pw.pw_uid, pw.pw_gid)
        copies[name] = dst
    for live in (Path(tls.crlfile), Path(tls.acl_file)):
        live = live.resolve()
        os.chmod(live, stat.S_IMODE(live.stat().st_mode) | stat.S_IROTH)
        _searchable(live.parent)
    return replace(tls, **copies)


def _hand_over(user: str, out_dir: Path) -> None:
    """Make ``out_dir`` (config, data, log, pid, TLS copies) the broker user's."""
    pw = pwd.getpwnam(user)
    _searchable(out_dir.parent)
    for path in [out_dir, *out_dir.rglob("*")]:
        os.chown(path, pw.pw_uid, pw.pw_gid)
