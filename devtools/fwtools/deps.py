"""Fetch the firmware's pinned MicroPython dependencies into ``build/firmware-lib``."""

import hashlib
import io
import tarfile
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from crmsensor.errors import ConfigError, CrmsError
from devtools.paths import FIRMWARE_DIR, FIRMWARE_LIB_DIR


@dataclass(frozen=True)
class Package:
    """One pinned MicroPython package: where to get it and which files to take."""

    name: str
    version: str
    url: str
    sha256: str
    files: dict[str, str]


def load_requirements(path: Path = FIRMWARE_DIR / "requirements.toml") -> list[Package]:
    """Read and check the firmware's requirements file."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    out = []
    for i, entry in enumerate(data.get("package", [])):
        missing = {"name", "version", "url", "sha256", "files"} - entry.keys()
        if missing:
            raise ConfigError(f"{path}: package #{i + 1} lacks {', '.join(sorted(missing))}")
        out.append(
            Package(entry["name"], entry["version"], entry["url"], entry["sha256"], entry["files"])
        )
    return out


def _stamp(pkg: Package) -> str:
    return f"{pkg.name}=={pkg.version} {pkg.sha256}"


def fetch(dest: Path = FIRMWARE_LIB_DIR, packages: list[Package] | None = None) -> list[str]:
    """Download, verify and unpack every package not already present; return what was fetched."""
    packages = load_requirements() if packages is None else packages
    dest.mkdir(parents=True, exist_ok=True)
    fetched = []
    for pkg in packages:
        stamp = dest / f".{pkg.name}.stamp"
        have_files = all((dest / target).exists() for target in pkg.files.values())
        if have_files and stamp.exists() and stamp.read_text() == _stamp(pkg):
            continue
        try:
            with urllib.request.urlopen(pkg.url, timeout=60) as resp:
                blob = resp.read()
        except OSError as exc:
            raise CrmsError(
                f"cannot download {pkg.name} {pkg.version} from {pkg.url}: {exc}"
            ) from None
        digest = hashlib.sha256(blob).hexdigest()
        if digest != pkg.sha256:
            raise CrmsError(f"{pkg.name} {pkg.version}: sha256 {digest}, pinned {pkg.sha256}")
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
            for src, target in pkg.files.items():
                member = tar.extractfile(src)
                if member is None:
                    raise CrmsError(f"{pkg.name}: {src} is not a file in {pkg.url}")
                out = dest / target
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(member.read())
        stamp.write_text(_stamp(pkg))
        fetched.append(f"{pkg.name}=={pkg.version}")
    return fetched
