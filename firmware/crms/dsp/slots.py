# I2S microphone slots -> the 16-bit samples the audio path works on. MEMS microphones send
# 24-bit samples left-justified in 32-bit slots; the badge keeps 16 bits starting `shift`
# bits below the top (a fixed digital gain: speech sits far below the mics' full scale)
# and saturates what no longer fits.
import micropython


@micropython.viper
def slots_to_16(raw: ptr16, out: ptr16, frames: int, front: int, shift: int):
    # raw: stereo 32-bit slots (LE), out: interleaved int16 [front, back]. Each sample is
    # the slot's top bits, `shift` bits up from the top 16 (mics use 24 of the 32), saturated.
    lim = 32767 >> shift
    for t in range(frames):
        for ch in range(2):
            lo = int(raw[4 * t + 2 * ch])
            hi = (int(raw[4 * t + 2 * ch + 1]) ^ 0x8000) - 0x8000
            if hi > lim:
                v = 32767
            elif hi < -lim - 1:
                v = -32768
            else:
                v = (hi << shift) | (lo >> (16 - shift))
            dst = ch if front == 0 else 1 - ch
            out[2 * t + dst] = v
