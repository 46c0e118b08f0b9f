# Run under MicroPython (by postfilter_cost.py, inside valgrind): a radix-2 fixed-point complex
# FFT in viper, the way a badge postfilter would have to compute its spectra (int16 data, Q15
# twiddles, a halving per stage so nothing overflows), called REPS times on one block.
# argv: N REPS. Prints the spectrum of a test tone first, for the driver to check.
import array
import math
import sys

import micropython

N = int(sys.argv[1])
REPS = int(sys.argv[2])
LOG = 0
while (1 << LOG) < N:
    LOG += 1


def _rev(i):
    r = 0
    for _ in range(LOG):
        r = (r << 1) | (i & 1)
        i >>= 1
    return r


COS = array.array("h", [round(32767 * math.cos(2 * math.pi * k / N)) for k in range(N // 2)])
SIN = array.array("h", [round(-32767 * math.sin(2 * math.pi * k / N)) for k in range(N // 2)])
REV = array.array("H", [_rev(i) for i in range(N)])


@micropython.viper
def fft(re: ptr16, im: ptr16, ct: ptr16, st: ptr16, rv: ptr16, n: int):
    i = 0
    while i < n:  # bit-reversed order
        j = int(rv[i])
        if j > i:
            t = re[i]
            re[i] = re[j]
            re[j] = t
            t = im[i]
            im[i] = im[j]
            im[j] = t
        i += 1
    half = 1
    step = n >> 1
    while half < n:
        k = 0
        tw = 0
        while k < half:
            wr = (int(ct[tw]) ^ 0x8000) - 0x8000
            wi = (int(st[tw]) ^ 0x8000) - 0x8000
            a = k
            while a < n:
                b = a + half
                br = (int(re[b]) ^ 0x8000) - 0x8000
                bi = (int(im[b]) ^ 0x8000) - 0x8000
                tr = (br * wr - bi * wi) >> 15
                ti = (br * wi + bi * wr) >> 15
                ar = (int(re[a]) ^ 0x8000) - 0x8000
                ai = (int(im[a]) ^ 0x8000) - 0x8000
                re[a] = (ar + tr) >> 1
                im[a] = (ai + ti) >> 1
                re[b] = (ar - tr) >> 1
                im[b] = (ai - ti) >> 1
                a += half << 1
            k += 1
            tw += step
        half <<= 1
        step >>= 1


re = array.array("h", [int(8000 * math.sin(2 * math.pi * 5 * i / N)) for i in range(N)])
im = array.array("h", [0] * N)
fft(re, im, COS, SIN, REV, N)
print("bin5", re[5], im[5])
for _ in range(REPS):
    fft(re, im, COS, SIN, REV, N)
print("done")
