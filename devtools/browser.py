"""Headless Chromium for the web office's tests and benchmarks: Debian's ``chromium`` driven
by Playwright (``executable_path``), with the flags a container without a GPU or sandbox
needs."""

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
