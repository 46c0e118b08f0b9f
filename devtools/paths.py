"""Where the project's non-Python parts live, for an editable install or a source checkout."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRMWARE_DIR = ROOT / "firmware"
BROKER_CONF_DIR = ROOT / "mqtt_broker_conf"
BUILD_DIR = ROOT / "build"
FIRMWARE_LIB_DIR = BUILD_DIR / "firmware-lib"
STUBS_DIR = ROOT / ".stubs" / "esp32"
RUN_DIR = ROOT / ".run"
MOTION_DIR = ROOT / ".cache" / "motion"  # scripts/fetch-motion-data
