# Badge entry point: mount the flash, load the config, build the one board object, run the
# app. On the badge this runs from flash with /config.json; in the unix port:
#   micropython firmware/main.py --flash flash.img --scenario scenario.json
#   micropython firmware/main.py --config path/to/config.json [--scenario ...]
import asyncio
import gc
import sys

from crms import config
from crms.app import BadgeApp
from crms.boards import make_board, mount_flash

gc.collect()  # compiling the modules above leaves garbage; start clean


def main():
    argv = sys.argv
    path = mount_flash(argv)
    error = None
    try:
        cfg = config.load(path)
    except config.ConfigError as e:
        # Named in the log, shown on the LED; the badge still records, without an uplink.
        print(e)
        print("badge: no uplink until the config is fixed; recording still works")
        error = str(e)
        cfg = config.offline()
    board = make_board(argv, cfg)
    app = BadgeApp(board, cfg, None if error else path, error)
    print("badge", cfg["device_id"], "starting on board", board.name)
    try:
        asyncio.run(app.run())
    except KeyboardInterrupt:
        app.shutdown("shutdown")
    if app.reboot:
        board.reset()


main()
