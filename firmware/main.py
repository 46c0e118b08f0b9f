# Badge entry point: mount the flash, choose the app (loader.py: the factory app or an update
# slot, on trial or kept), then run it. main.py and loader.py are never replaced by an update.
# On the badge this runs from flash with /config.json; in the unix port:
#   micropython firmware/main.py --flash flash.img --scenario scenario.json
#   micropython firmware/main.py --config path/to/config.json [--scenario ...]
# (the folder of config.json stands for the flash's root: update slots and boot.json go there)
import gc
import sys

import loader
from crms.boards import mount_flash

config_path = mount_flash(sys.argv)
root = config_path.rsplit("/", 1)[0] if "/" in config_path else "."
boot = loader.select(root)
if boot["slot"] is not None:
    # The slot's modules come first; forget the factory's, imported above to mount the flash.
    where = loader.slot_dir(root, boot["slot"])
    sys.path.insert(0, where + "/lib")
    sys.path.insert(0, where)
    for name in list(sys.modules):
        if name == "crms" or name.startswith("crms."):
            del sys.modules[name]
boot["root"] = root
gc.collect()  # compiling the modules above leaves garbage; start clean

from crms import start  # noqa: E402  (after the slot is chosen)

start.main(sys.argv, config_path, boot)
