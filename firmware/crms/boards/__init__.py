# Boards: the only place firmware touches hardware. One board object is built in main.py and
# passed down; nothing creates hardware objects at import time.
#
# Interface every board implements (see sim.py):
#   name                      short board name, reported in status as `hw`
#   uptime_ms()               milliseconds since boot
#   unix_time()               Unix seconds, or None while the clock is not set
#   battery_mv(), battery_pct()
#   charging()                True while on the charger
#   storage_free_kb()         free space where recordings are kept
#   rssi_dbm()                Wi-Fi signal, or None when not associated
#   heap_free()
#   worn()                    True while the badge is worn (the worn gate comes with the
#                             accelerometer driver)
#   led(on)
import sys


def make_board(cfg):
    # Pick the board for the platform we run on. The ESP32-S3 board (I2S mics, LIS3DH, SD card)
    # is built by the badge-firmware issue; until then only the unix port has a board.
    if sys.platform == "linux":
        from crms.boards.sim import SimBoard

        return SimBoard(cfg.get("sim", {}))
    raise RuntimeError("no board for platform " + sys.platform + " yet")
