#!/usr/bin/env bash
# Set up this checkout on a fresh Debian/Ubuntu machine, then run one job:
#   ./bootstrap.sh demo   the whole system on this machine (broker, fleet, simulated badge + kiosk)
#   ./bootstrap.sh test   static checks and the whole test suite (what CI runs)
# Safe to re-run: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")"

job=${1:-}
case "$job" in
  demo|test) shift ;;
  *) echo "usage: ./bootstrap.sh demo|test [args passed to the job]" >&2; exit 2 ;;
esac

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

# Run a command as root when we are not, or explain what to run when we cannot.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

apt_install() {
  # $@: Debian package names
  if ! command -v apt-get >/dev/null; then
    say "missing: $* - install them with your package manager, then re-run"; exit 1
  fi
  say "installing with apt-get: $*"
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
         && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }; then
    say "could not install $* (needs root or passwordless sudo)."
    say "run:  sudo apt-get install -y $*   then re-run ./bootstrap.sh $job"
    exit 1
  fi
}

# 1. Python 3.11+ with venv
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  say "Python 3.11 or newer is needed as '$PY' (set PYTHON=/path/to/python3.11 to choose one)"; exit 1
fi
"$PY" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv

# 2. Mosquitto (the CLI starts its own process with the project's configuration)
export PATH="$PATH:/usr/sbin:/sbin"
command -v mosquitto >/dev/null || apt_install mosquitto mosquitto-clients
# Started as root, the broker drops to this user (devtools/broker/config.py); Debian's package
# creates it, other installs may not.
if [ "$(id -u)" = 0 ] && ! id mosquitto >/dev/null 2>&1; then
  say "creating the system user mosquitto (the broker's, when started as root)"
  useradd --system --no-create-home --shell /usr/sbin/nologin mosquitto
fi

# 2b. Real speech for the simulated badge (LibriVox utterances) and valgrind for the DSP
# cost benchmark
[ -d /usr/share/pocketsphinx/test/data/librivox ] || apt_install pocketsphinx-testdata
# Longer talkers for the beamforming scenes' interferers and babble
[ -d /usr/share/codec2/wav ] || apt_install codec2-examples
if [ "$job" = test ]; then command -v valgrind >/dev/null || apt_install valgrind; fi
# Debian's Chromium for the web office's browser tests (Playwright drives it; no browser
# download of Playwright's own)
if [ "$job" = test ]; then command -v chromium >/dev/null || apt_install chromium; fi

# 3. The virtual environment: requirements.lock (every extra, pinned, hashes required), then
# the project itself. pesq builds from source: a C compiler and Python's headers.
if ! command -v cc >/dev/null; then apt_install build-essential; fi
if ! "$PY" -c 'import os, sysconfig; os.stat(sysconfig.get_paths()["include"] + "/Python.h")' 2>/dev/null; then
  apt_install python3-dev
fi
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.crmsensor-installed
want=$(cat pyproject.toml requirements.lock scripts/stub-requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing crmsensor and its dependencies into .venv (requirements.lock)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  # MicroPython ESP32 stubs go to their own folder: in site-packages their machine.pyi,
  # socket.pyi etc. would be picked up by tools checking the CPython packages.
  rm -rf .stubs/esp32
  .venv/bin/python -m pip install -q --no-deps --target .stubs/esp32 -r scripts/stub-requirements.txt
  echo "$want" > "$stamp"
fi

# 4. MicroPython libraries the firmware uses, fetched pinned (sha256) into build/
.venv/bin/crmsensor firmware deps

# 5. Real motion for the worn gate (BasicMotions, out of a pinned wheel) and real footage and
# photos for the kiosk detector (Debian opencv-doc, unpacked) into .cache/
if [ "$job" = test ] && ! PYTHON=.venv/bin/python scripts/fetch-motion-data; then
  say "could not fetch the BasicMotions data (sktime wheel from PyPI); the worn-gate tests need it"; exit 1
fi
if [ "$job" = test ] && ! scripts/fetch-opencv-samples; then
  say "could not fetch opencv-doc samples (apt-get download opencv-doc); kiosk tests need them"; exit 1
fi

export PATH="$PWD/.venv/bin:$PATH"
case "$job" in
  demo) exec crmsensor sim demo "$@" ;;
  test) exec scripts/test "$@" ;;
esac
