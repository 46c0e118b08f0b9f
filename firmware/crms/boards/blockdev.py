# A block device over a file: the simulated board's flash, a LittleFS image built on the
# host (crmsensor sim flash-image) and mounted with vfs.VfsLfs2, as the ESP32-S3 mounts its
# vfs partition.
from micropython import const

_IOCTL_BLOCK_COUNT = const(4)
_IOCTL_BLOCK_SIZE = const(5)
_IOCTL_ERASE = const(6)


class FileBlockDevice:
    def __init__(self, path, block_size=4096):
        self._f = open(path, "r+b")
        size = self._f.seek(0, 2)
        if size == 0 or size % block_size:
            raise ValueError(
                "flash image "
                + path
                + ": "
                + str(size)
                + " bytes is not a whole number of "
                + str(block_size)
                + "-byte blocks"
            )
        self.block_size = block_size
        self.blocks = size // block_size

    def readblocks(self, block, buf, offset=0):
        self._f.seek(block * self.block_size + offset)
        self._f.readinto(buf)

    def writeblocks(self, block, buf, offset=None):
        self._f.seek(block * self.block_size + (offset or 0))
        self._f.write(buf)
        self._f.flush()

    def ioctl(self, op, arg):
        if op == _IOCTL_BLOCK_COUNT:
            return self.blocks
        if op == _IOCTL_BLOCK_SIZE:
            return self.block_size
        if op == _IOCTL_ERASE:
            return 0
        return None
