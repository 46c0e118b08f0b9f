# Run the app: load the config, build the one board object, run until shutdown or reboot.
# main.py calls main() after loader.py chose which app (factory or update slot) runs; `boot`
# says which ({"slot", "version", "trial", "release", "last", "root"}).
import asyncio

from crms import config
from crms.app import BadgeApp
from crms.boards import make_board


def main(argv, path, boot):
    try:
        cfg = config.load(path)
        error = None
    except config.ConfigError as e:
        # Named in the log, shown on the LED; the badge still records, without an uplink.
        print(e)
        print("badge: no uplink until the config is fixed; recording still works")
        error = str(e)
        cfg = config.offline()
    board = make_board(argv, cfg)
    app = BadgeApp(board, cfg, None if error else path, error, boot)
    where = "slot " + boot["slot"] if boot["slot"] else "factory app"
    if boot["trial"]:
        where += ", on trial"
    print("badge", cfg["device_id"], "starting on board", board.name, "-", app.version, where)
    try:
        asyncio.run(app.run())
    except KeyboardInterrupt:
        app.shutdown("shutdown")
    if app.reboot:
        board.reset()
