# Run under MicroPython: the beamformer kernel and the silence trimmer with seeded synthetic
# signals whose right answers are known. Prints "ok <name>" per check; raises on failure.
import array
import math
import sys

from crms.dsp import beam, vad

RATE = 16000
BLOCK = 256


def tone(freq, n, amp, delay=0.0, phase=0.0):
    w = 2 * math.pi * freq / RATE
    return [amp * math.sin(w * (i - delay) + phase) for i in range(n)]


def run_beam(bf, front, back):
    out = []
    stereo = array.array("h", bytes(4 * BLOCK))
    mono = array.array("h", bytes(2 * BLOCK))
    for b in range(len(front) // BLOCK):
        for i in range(BLOCK):
            stereo[2 * i] = int(front[b * BLOCK + i])
            stereo[2 * i + 1] = int(back[b * BLOCK + i])
        bf.process(stereo, mono, BLOCK)
        out.extend(mono)
    return out


def rms(x, skip=512):
    x = x[skip:]
    return math.sqrt(sum(v * v for v in x) / len(x))


def check_look_direction_passes():
    # A plane wave from the mouth reaches the front microphone tau samples before the back.
    tau = 17.5 / 1000 / beam.SPEED_OF_SOUND * RATE
    front_taps, back_taps = beam.das_taps(17.5, RATE)
    assert sum(front_taps) == 8192 and back_taps == [0, 8192, 0, 0]
    for freq in (300, 1000, 3000):
        n = 16 * BLOCK
        bf = beam.Beamformer(front_taps, back_taps, BLOCK)
        out = run_beam(bf, tone(freq, n, 8000), tone(freq, n, 8000, delay=tau))
        # Unchanged but for the kernel's delay of 1 + tau samples: compare with that.
        want = tone(freq, n, 8000, delay=1 + tau)
        err = [out[i] - want[i] for i in range(n)]
        snr = 20 * math.log10(rms(want) / max(rms(err), 1e-9))
        gain = 20 * math.log10(rms(out) / rms(want))
        assert abs(gain) < 0.1, (freq, gain)
        assert snr > 30, (freq, snr)  # Lagrange interpolation error and int16 rounding
    print("ok look_direction_passes")


def check_null_where_the_design_puts_it():
    # A difference pair nulls a wave reaching both microphones at once (broadside),
    # and passes one that reaches them a sample apart.
    bf = beam.Beamformer([16384, 0], [-16384, 0], BLOCK)
    n = 8 * BLOCK
    out = run_beam(bf, tone(1000, n, 8000), tone(1000, n, 8000))
    assert max(abs(v) for v in out) == 0
    bf = beam.Beamformer([16384, 0], [0, -16384], BLOCK)
    out = run_beam(bf, tone(1000, n, 8000), tone(1000, n, 8000, delay=-1))
    assert max(abs(v) for v in out) == 0
    print("ok null_where_the_design_puts_it")


def check_saturates_and_rejects_bad_taps():
    bf = beam.Beamformer([32767], [32767], BLOCK)
    out = run_beam(bf, [30000] * BLOCK, [30000] * BLOCK)
    assert out == [32767] * BLOCK
    out = run_beam(bf, [-30000] * BLOCK, [-30000] * BLOCK)
    assert out == [-32768] * BLOCK
    for front, back, word in (
        ([1, 2], [1], "same length"),
        ([40000], [0], "Q14"),
        ([30000, 30000], [10000, 0], "absolute sum"),
    ):
        try:
            beam.Beamformer(front, back, BLOCK)
            raise AssertionError("accepted " + repr(front))
        except ValueError as e:
            assert word in str(e), e
    print("ok saturates_and_rejects_bad_taps")


class Sink:
    def __init__(self):
        self.blocks = []

    def __call__(self, x, n):
        self.blocks.append(list(x)[:n])


def check_trimmer():
    # 2 s of noise floor, 1 s tone, 3 s floor, 1 s tone, 0.3 s floor, 1 s tone, 2 s floor.
    seed = [12345]

    def noise(n, amp):
        out = []
        for _ in range(n):
            seed[0] = (seed[0] * 1103515245 + 12345) & 0x7FFFFFFF
            out.append(int((seed[0] / 0x7FFFFFFF - 0.5) * 2 * amp))
        return out

    plan = [(0, 2.0), (1, 1.0), (0, 3.0), (1, 1.0), (0, 0.3), (1, 1.0), (0, 2.0)]
    sink = Sink()
    ms = BLOCK * 1000 // RATE
    t = vad.Trimmer(sink, BLOCK, hang_blocks=300 // ms, max_gap_blocks=700 // ms, preroll_blocks=4)
    kept = 0
    total = 0
    buf = array.array("h", bytes(2 * BLOCK))
    for loud, seconds in plan:
        nblocks = int(seconds * RATE) // BLOCK
        sig = noise(nblocks * BLOCK, 30)
        if loud:
            sig = [sig[i] + int(6000 * math.sin(i * 0.2)) for i in range(len(sig))]
        for b in range(nblocks):
            for i in range(BLOCK):
                buf[i] = sig[b * BLOCK + i]
            kept += t.feed(buf, BLOCK)
            total += 1
    t.finish()
    cuts = [(t.cuts[2 * i], t.cuts[2 * i + 1]) for i in range(t.ncuts)]
    out_samples = sum(len(b) for b in sink.blocks)
    dropped = sum(c[1] for c in cuts)
    # Nothing lost but what is marked: every input block is kept or counted in a cut.
    assert out_samples + dropped == total * BLOCK, (out_samples, dropped, total)
    # Cuts: the leading silence, the 3 s pause, the trailing silence; the 0.3 s pause kept.
    assert len(cuts) == 3, cuts
    keep_ms = 300 + 700
    pause_cut_ms = cuts[1][1] * 1000 // RATE
    preroll_ms = 4 * ms
    assert abs(pause_cut_ms - (3000 - keep_ms - preroll_ms)) <= 2 * ms, pause_cut_ms
    # All three tones are in the output whole: count loud blocks.
    loud_blocks = sum(1 for b in sink.blocks if max(abs(v) for v in b) > 3000)
    assert loud_blocks >= 3 * (RATE // BLOCK) - 3, loud_blocks
    # The output position of the second cut is after the first tone.
    assert cuts[1][0] >= RATE, cuts
    print("ok trimmer", len(cuts), "cuts", out_samples * 1000 // RATE, "ms kept")


def check_slots_to_16():
    from crms.dsp.slots import slots_to_16

    # Four frames of stereo 32-bit slots: (left, right) as signed 32-bit values.
    frames = [
        (0x12345600, -0x12345600),
        (0x00010000, 0x7FFFFF00),
        (-0x80000000, 0),
        (0x0FFF0000, 5),
    ]
    raw = bytearray()
    for left, right in frames:
        raw += (left & 0xFFFFFFFF).to_bytes(4, "little") + (right & 0xFFFFFFFF).to_bytes(
            4, "little"
        )
    out = array.array("h", bytes(4 * len(frames)))
    slots_to_16(raw, out, len(frames), 0, 3)
    want = []
    for left, right in frames:
        for v in (left, right):
            s = v >> 13  # keep 16 bits from 3 below the top
            want.append(max(-32768, min(32767, s)))
    assert list(out) == want, (list(out), want)
    slots_to_16(raw, out, len(frames), 1, 0)  # front microphone in the right slot
    assert list(out)[:2] == [-0x1235, 0x1234], list(out)
    print("ok slots_to_16")


check_slots_to_16()
check_look_direction_passes()
check_null_where_the_design_puts_it()
check_saturates_and_rejects_bad_taps()
check_trimmer()
sys.exit(0)
