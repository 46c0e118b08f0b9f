# Run under MicroPython: the LIS3DH driver against a register-level model of the chip (the
# unix port has no I2C bus). Checks what it writes to configure the chip and how it turns FIFO
# bytes into mg.
import array

from crms.drivers.lis3dh import LIS3DH


class ChipModel:
    # Registers, auto-increment reads from OUT_X_L, and a FIFO of (x, y, z) raw 16-bit words.
    def __init__(self, addr):
        self.addr = addr
        self.regs = bytearray(0x40)
        self.regs[0x0F] = 0x33
        self.fifo = []
        self.overrun = False

    def readfrom_mem_into(self, addr, reg, buf):
        assert addr == self.addr
        if reg == 0x2F:  # FIFO_SRC
            buf[0] = min(len(self.fifo), 31) | (0x40 if self.overrun else 0)
            return
        if reg == 0x28 | 0x80:
            for i in range(len(buf) // 6):
                x, y, z = self.fifo.pop(0)
                for k, v in enumerate((x, y, z)):
                    buf[6 * i + 2 * k] = v & 0xFF
                    buf[6 * i + 2 * k + 1] = (v >> 8) & 0xFF
            return
        buf[0] = self.regs[reg]

    def writeto_mem(self, addr, reg, buf):
        assert addr == self.addr
        self.regs[reg] = buf[0]


chip = ChipModel(0x19)
try:
    LIS3DH(ChipModel(0x18), 0x18 + 1)
    raise AssertionError("talked to a missing chip")
except (OSError, AssertionError) as e:
    assert "0x19" in str(e) or isinstance(e, AssertionError)
acc = LIS3DH(chip, 0x19)
acc.configure(range_g=4, rate_hz=25, watermark=12)
assert chip.regs[0x20] == 0x37  # 25 Hz, x y z enabled
assert chip.regs[0x23] == 0x98  # block update, +-4 g, high resolution
assert chip.regs[0x24] == 0x40 and chip.regs[0x2E] == 0x80 | 12 and chip.regs[0x22] == 0x04
# +-4 g high-res: 2 mg per digit, 12 bits left-justified in 16.
chip.fifo = [(500 << 4, -(1000 << 4) & 0xFFFF, 0), (1 << 4, 2 << 4, 3 << 4)]
out = array.array("h", bytes(2 * 3 * 32))
n = acc.read_fifo(out)
assert n == 2 and list(out[:6]) == [1000, -2000, 0, 2, 4, 6], list(out[:6])
assert acc.read_fifo(out) == 0
chip.overrun = True
acc.read_fifo(out)
assert acc.overruns == 1
try:
    acc.configure(rate_hz=30)
    raise AssertionError("accepted 30 Hz")
except ValueError:
    pass
print("ok lis3dh")
