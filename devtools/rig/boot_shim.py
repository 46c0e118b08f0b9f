# What the ESP32-S3 does between reset and main.py, for the MicroPython unix port: mount the
# vfs partition of the flash image in place (a block device over that byte range, so the
# firmware reads and writes the very bytes esptool wrote) and run /main.py from it. Only the
# flashed files are importable: the repository's firmware folder is not on the path.
#   micropython boot_shim.py FLASH_IMAGE OFFSET SIZE [--scenario FILE]
import sys

import vfs


class PartitionBlockDevice:
    def __init__(self, path, offset, size, block_size=4096):
        self._f = open(path, "r+b")
        self.offset = offset
        self.block_size = block_size
        self.blocks = size // block_size

    def readblocks(self, block, buf, offset=0):
        self._f.seek(self.offset + block * self.block_size + offset)
        self._f.readinto(buf)

    def writeblocks(self, block, buf, offset=None):
        self._f.seek(self.offset + block * self.block_size + (offset or 0))
        self._f.write(buf)
        self._f.flush()

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return self.blocks
        if op == 5:  # block size
            return self.block_size
        if op == 6:  # erase: LittleFS only needs it to succeed
            return 0
        return None


def boot():
    argv = sys.argv
    image, offset, size = argv[1], int(argv[2]), int(argv[3])
    try:
        vfs.mount(vfs.VfsLfs2(PartitionBlockDevice(image, offset, size)), "/flash")
    except OSError as e:
        # What MicroPython's _boot.py meets when the partition holds no filesystem
        print("boot: cannot mount the vfs partition at", hex(offset), "size", hex(size), e)
        sys.exit(2)
    sys.path[:] = ["/flash", "/flash/lib", ".frozen"]
    rest = argv[4:]
    sys.argv[:] = ["/flash/main.py", "--config", "/flash/config.json"] + rest
    print("boot: vfs partition mounted at /flash; running /flash/main.py")
    with open("/flash/main.py") as f:
        source = f.read()
    exec(source, {"__name__": "__main__"})


boot()
