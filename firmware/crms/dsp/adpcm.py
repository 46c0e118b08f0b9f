# IMA ADPCM encoder, WAV (Microsoft format 0x11) block layout, mono: each block of
# BLOCK_ALIGN bytes starts with the first sample (int16 LE) and the step index, then
# SAMPLES_PER_BLOCK-1 samples as 4-bit codes, low nibble first. The quantiser is the
# classic IMA/DVI one (the same arithmetic as CPython's audioop.lin2adpcm), so any
# standard decoder reproduces the encoder's own prediction exactly.
import array

import micropython
from micropython import const

BLOCK_ALIGN = const(256)
SAMPLES_PER_BLOCK = const(505)  # 1 + (256 - 4) * 2

_STEPS = array.array(
    "H",
    [
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        16,
        17,
        19,
        21,
        23,
        25,
        28,
        31,
        34,
        37,
        41,
        45,
        50,
        55,
        60,
        66,
        73,
        80,
        88,
        97,
        107,
        118,
        130,
        143,
        157,
        173,
        190,
        209,
        230,
        253,
        279,
        307,
        337,
        371,
        408,
        449,
        494,
        544,
        598,
        658,
        724,
        796,
        876,
        963,
        1060,
        1166,
        1282,
        1411,
        1552,
        1707,
        1878,
        2066,
        2272,
        2499,
        2749,
        3024,
        3327,
        3660,
        4026,
        4428,
        4871,
        5358,
        5894,
        6484,
        7132,
        7845,
        8630,
        9493,
        10442,
        11487,
        12635,
        13899,
        15289,
        16818,
        18500,
        20350,
        22385,
        24623,
        27086,
        29794,
        32767,
    ],
)
# Index change per 3-bit magnitude code, stored +1 so it fits a ptr8 (unsigned).
_INDEX_ADJ = bytes([0, 0, 0, 0, 3, 5, 7, 9])


@micropython.viper
def _encode_block(x: ptr16, out: ptr8, state: ptr16, steps: ptr16, adj: ptr8):
    # x: SAMPLES_PER_BLOCK int16; out: BLOCK_ALIGN bytes; state[0] = step index (kept).
    first = (int(x[0]) ^ 0x8000) - 0x8000
    index = int(state[0])
    out[0] = first & 0xFF
    out[1] = (first >> 8) & 0xFF
    out[2] = index
    out[3] = 0
    pred = first
    o = 4
    i = 1
    while i < 505:
        code2 = 0
        for half in range(2):
            step = int(steps[index])
            diff = ((int(x[i]) ^ 0x8000) - 0x8000) - pred
            sign = 0
            if diff < 0:
                sign = 8
                diff = -diff
            code = 0
            vpdiff = step >> 3
            if diff >= step:
                code = 4
                diff -= step
                vpdiff += step
            step = step >> 1
            if diff >= step:
                code |= 2
                diff -= step
                vpdiff += step
            step = step >> 1
            if diff >= step:
                code |= 1
                vpdiff += step
            if sign:
                pred -= vpdiff
            else:
                pred += vpdiff
            if pred > 32767:
                pred = 32767
            elif pred < -32768:
                pred = -32768
            index += int(adj[code]) - 1
            if index < 0:
                index = 0
            elif index > 88:
                index = 88
            if half == 0:
                code2 = code | sign
            else:
                code2 |= (code | sign) << 4
            i += 1
        out[o] = code2
        o += 1
    state[0] = index


class ImaEncoder:
    # Collects samples into whole blocks and writes each encoded block to `sink(buf)`.

    def __init__(self, sink):
        self._sink = sink
        self._pcm = array.array("h", bytes(2 * SAMPLES_PER_BLOCK))
        self._out = bytearray(BLOCK_ALIGN)
        self._state = array.array("H", [0])
        self._fill = 0
        self.samples = 0
        self.data_bytes = 0

    def reset(self):
        self._state[0] = 0
        self._fill = 0
        self.samples = 0
        self.data_bytes = 0

    def write(self, x, n):
        pcm = self._pcm
        i = 0
        while i < n:
            take = min(n - i, SAMPLES_PER_BLOCK - self._fill)
            _copy(x, i, pcm, self._fill, take)
            self._fill += take
            i += take
            if self._fill == SAMPLES_PER_BLOCK:
                self._emit()
        self.samples += n

    def _emit(self):
        _encode_block(self._pcm, self._out, self._state, _STEPS, _INDEX_ADJ)
        self._sink(self._out)
        self.data_bytes += BLOCK_ALIGN
        self._fill = 0

    def flush(self):
        # The last, partial block is padded with silence; the WAV `fact` chunk says how
        # many samples are real.
        if self._fill:
            _zero(self._pcm, self._fill, SAMPLES_PER_BLOCK - self._fill)
            self._emit()


@micropython.viper
def _copy(src: ptr16, si: int, dst: ptr16, di: int, n: int):
    for k in range(n):
        dst[di + k] = src[si + k]


@micropython.viper
def _zero(dst: ptr16, di: int, n: int):
    for k in range(n):
        dst[di + k] = 0
