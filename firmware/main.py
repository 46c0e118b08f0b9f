# Badge entry point: load the config, build the one board object, run the app.
# On the badge this runs from flash with /config.json; in the unix port:
#   micropython firmware/main.py --config path/to/config.json
import asyncio
import sys

from crms import config
from crms.app import BadgeApp
from crms.boards import make_board


def _config_path():
    argv = sys.argv
    for i in range(len(argv) - 1):
        if argv[i] == "--config":
            return argv[i + 1]
    return "/config.json"


def main():
    cfg = config.load(_config_path())
    board = make_board(cfg)
    app = BadgeApp(board, cfg)
    print("badge", cfg["device_id"], "starting on board", board.name)
    try:
        asyncio.run(app.run())
    except KeyboardInterrupt:
        app.uplink.close("shutdown")


try:
    main()
except config.ConfigError as e:
    print(e)
    sys.exit(2)
