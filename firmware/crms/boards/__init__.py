# Boards: the only place firmware touches hardware. One board object is built in main.py and
# passed down; nothing creates hardware objects at import time. Two boards share one
# interface: sim.SimBoard (the MicroPython unix port) and esp32s3.Esp32S3Board.
#
#   name, rec_dir, mic_rate, accel_rate_hz
#   uptime_ms(), clock_ms() (time base of microphones and accelerometer), unix_time() or None
#   battery_mv(), battery_pct(), charging(), wifi_up(), rssi_dbm() or None
#   storage_free_kb(), heap_free(), led(on), reset()
#   mic_start(), mic_stop(), await mic_read(buf) -> frames (interleaved int16 front/back)
#   accel_read(out) -> samples (array 'h' of x, y, z in mg); accel_ok() -> the sensor answers
import sys


def _arg(argv, name):
    for i in range(len(argv) - 1):
        if argv[i] == name:
            return argv[i + 1]
    return None


def mount_flash(argv):
    # Mount the device's own filesystem if the platform has not; return the config's path.
    # On the ESP32-S3 MicroPython mounts the vfs partition at / before main.py runs. In the
    # unix port --flash IMAGE mounts a LittleFS image at /flash; --config FILE skips that.
    if sys.platform == "linux":
        image = _arg(argv, "--flash")
        if image:
            from crms.boards.sim import mount_image

            return mount_image(image)
        return _arg(argv, "--config") or "config.json"
    return "/config.json"


def make_board(argv, cfg):
    # The board for the platform we run on (cfg: the checked config; `hw` picks the pin map).
    if sys.platform == "linux":
        from crms.boards.sim import SimBoard

        return SimBoard(_arg(argv, "--scenario"))
    if sys.platform == "esp32":
        from crms.boards.esp32s3 import Esp32S3Board
        from crms.boards.pinmaps import PINMAPS

        if cfg["hw"] not in PINMAPS:
            raise ValueError("config: `hw` " + cfg["hw"] + " has no pin map")
        return Esp32S3Board(PINMAPS[cfg["hw"]], cfg)
    raise RuntimeError("no board for platform " + sys.platform)
