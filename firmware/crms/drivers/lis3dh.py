# LIS3DH accelerometer on I2C: high-resolution mode, a chosen range and rate, samples
# collected in its 32-deep FIFO (stream mode) and read in one burst; the FIFO watermark
# raises INT1, whose handler only sets a flag.
import asyncio

from micropython import const

_WHO_AM_I = const(0x0F)
_CTRL_REG1 = const(0x20)
_CTRL_REG3 = const(0x22)
_CTRL_REG4 = const(0x23)
_CTRL_REG5 = const(0x24)
_OUT_X_L = const(0x28)
_FIFO_CTRL = const(0x2E)
_FIFO_SRC = const(0x2F)
_AUTO_INC = const(0x80)
_ID = const(0x33)
_FIFO_DEPTH = const(32)

# ODR field of CTRL_REG1 per rate (Hz)
_ODR = {1: 1, 10: 2, 25: 3, 50: 4, 100: 5, 200: 6, 400: 7}
# FS field of CTRL_REG4 and mg per digit in high-resolution mode (12-bit, left-justified)
_FS = {2: (0, 1), 4: (1, 2), 8: (2, 4), 16: (3, 12)}


class LIS3DH:
    def __init__(self, i2c, addr=0x18, int_pin=None):
        self.i2c = i2c
        self.addr = addr
        self._buf = bytearray(6 * _FIFO_DEPTH)
        self._one = bytearray(1)
        self.mg_per_digit = 1
        self.overruns = 0
        self.ready = asyncio.ThreadSafeFlag()
        if self._read(_WHO_AM_I) != _ID:
            raise OSError("lis3dh: no LIS3DH at 0x%02x" % addr)
        if int_pin is not None:
            int_pin.irq(self._irq, trigger=int_pin.IRQ_RISING)

    def alive(self):
        # The sensor answers on the bus with its identity.
        try:
            return self._read(_WHO_AM_I) == _ID
        except OSError:
            return False

    def _irq(self, _pin):
        self.ready.set()  # record and signal; the accelerometer task reads the FIFO

    def _read(self, reg):
        self.i2c.readfrom_mem_into(self.addr, reg, self._one)
        return self._one[0]

    def _write(self, reg, value):
        self._one[0] = value
        self.i2c.writeto_mem(self.addr, reg, self._one)

    def configure(self, range_g=4, rate_hz=25, watermark=12):
        if rate_hz not in _ODR or range_g not in _FS:
            raise ValueError("lis3dh: rate must be one of 1-400 Hz steps, range 2/4/8/16 g")
        fs, self.mg_per_digit = _FS[range_g]
        self._write(_CTRL_REG1, (_ODR[rate_hz] << 4) | 0x07)  # normal power, x y z on
        self._write(_CTRL_REG4, 0x80 | (fs << 4) | 0x08)  # block update, range, high-res
        self._write(_CTRL_REG5, 0x40)  # FIFO on
        self._write(_FIFO_CTRL, 0x80 | (watermark & 0x1F))  # stream mode, watermark
        self._write(_CTRL_REG3, 0x04)  # FIFO watermark on INT1

    def read_fifo(self, out):
        # Unread samples into out (array 'h': x, y, z in mg); returns how many.
        src = self._read(_FIFO_SRC)
        if src & 0x40:
            self.overruns += 1  # samples were lost while nobody read
        n = min(src & 0x1F, len(out) // 3)
        if not n:
            return 0
        buf = self._buf
        self.i2c.readfrom_mem_into(self.addr, _OUT_X_L | _AUTO_INC, memoryview(buf)[: 6 * n])
        k = self.mg_per_digit
        for i in range(3 * n):
            v = buf[2 * i] | (buf[2 * i + 1] << 8)
            if v & 0x8000:
                v -= 0x10000
            out[i] = (v >> 4) * k
        return n
