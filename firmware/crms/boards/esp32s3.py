# The ESP32-S3 badge: two I2S MEMS microphones, a LIS3DH, battery on an ADC through a
# divider, a charger-status pin, an SD card at /sd, an LED, Wi-Fi. Pins come from the
# revision's pin map (boards/pinmaps.py). Everything is built here, once, from main.py.
import asyncio
import gc
import time

import machine
import network
import vfs
from machine import ADC, I2C, I2S, Pin

from crms.drivers.lis3dh import LIS3DH
from crms.dsp.slots import slots_to_16

_FULL_MV = 4150
_EMPTY_MV = 3300
_UNIX_2000 = 946684800


class Esp32S3Board:
    name = "esp32s3"

    def __init__(self, pins, cfg):
        self.pins = pins
        self.mic_rate = cfg["rec"]["rate"]
        self._i2s = None
        self._reader = None
        self._raw = bytearray(8 * cfg["rec"]["block"])  # 2 x 32-bit slots per frame
        p = pins["i2c"]
        self._i2c = I2C(p["id"], scl=Pin(p["scl"]), sda=Pin(p["sda"]), freq=p["freq"])
        a = pins["accel"]
        self.accel = LIS3DH(self._i2c, a["addr"], Pin(a["int"], Pin.IN))
        self.accel.configure(a["range_g"], a["rate_hz"])
        self.accel_rate_hz = a["rate_hz"]
        b = pins["battery"]
        self._adc = ADC(Pin(b["adc"]), atten=ADC.ATTN_11DB)
        c = pins["charger"]
        self._charger = Pin(c["pin"], Pin.IN, Pin.PULL_UP)
        led = pins["led"]
        self._led = Pin(led["pin"], Pin.OUT, value=1 - led["active"])
        self.rec_dir = "/sd/rec"
        s = pins["sd"]
        sd = machine.SDCard(
            slot=s["slot"],
            sck=Pin(s["sck"]),
            mosi=Pin(s["mosi"]),
            miso=Pin(s["miso"]),
            cs=Pin(s["cs"]),
            freq=s["freq"],
        )
        vfs.mount(sd, "/sd")
        self._wlan = network.WLAN(network.STA_IF)
        self._clock_set = False

    # --- time ----------------------------------------------------------------------------

    def uptime_ms(self):
        return time.ticks_ms()

    def clock_ms(self):
        return time.ticks_ms()

    def unix_time(self):
        # None until the clock was set (NTP once Wi-Fi is up); the epoch differs between
        # MicroPython versions, so convert explicitly.
        if not self._clock_set:
            self._try_ntp()
            if not self._clock_set:
                return None
        t = time.time()
        return t + _UNIX_2000 if time.gmtime(0)[0] == 2000 else t

    def _try_ntp(self):
        if not self._wlan.isconnected():
            return
        try:
            import ntptime

            ntptime.settime()
            self._clock_set = True
        except (ImportError, OSError):
            pass

    # --- power, link, storage ------------------------------------------------------------

    def battery_mv(self):
        return int(self._adc.read_uv() * self.pins["battery"]["divider"] / 1000)

    def battery_pct(self):
        pct = (self.battery_mv() - _EMPTY_MV) * 100 // (_FULL_MV - _EMPTY_MV)
        return max(0, min(100, pct))

    def charging(self):
        return self._charger.value() == self.pins["charger"]["active"]

    def wifi_connect(self, wifi):
        self._wlan.active(True)
        if not self._wlan.isconnected():
            self._wlan.connect(wifi["ssid"], wifi["psk"])

    def wifi_up(self):
        return self._wlan.isconnected()

    def rssi_dbm(self):
        return self._wlan.status("rssi") if self._wlan.isconnected() else None

    def storage_free_kb(self):
        import os

        st = os.statvfs("/sd")
        return st[1] * st[4] // 1024

    def heap_free(self):
        return gc.mem_free()

    def led(self, on):
        self._led.value(on == bool(self.pins["led"]["active"]))

    def reset(self):
        machine.reset()

    # --- microphones ---------------------------------------------------------------------

    def mic_start(self):
        if self._i2s is not None:
            return
        p = self.pins["i2s"]
        self._i2s = I2S(
            p["id"],
            sck=Pin(p["sck"]),
            ws=Pin(p["ws"]),
            sd=Pin(p["sd"]),
            mode=I2S.RX,
            bits=32,
            format=I2S.STEREO,
            rate=self.mic_rate,
            ibuf=p["ibuf"],
        )
        self._reader = asyncio.StreamReader(self._i2s)

    def mic_stop(self):
        if self._i2s is not None:
            self._i2s.deinit()
        self._i2s = None
        self._reader = None

    async def mic_read(self, buf):
        # Fill buf (interleaved int16 front/back) from the I2S DMA buffers.
        raw = self._raw
        frames = len(buf) // 4
        want = 8 * frames
        got = 0
        mv = memoryview(raw)
        reader = self._reader
        while got < want and reader is not None:
            got += await reader.readinto(mv[got:want])
        p = self.pins["i2s"]
        # (viper takes any buffer for a ptr16; the stubs do not know that)
        slots_to_16(raw, buf, frames, p["front_slot"], p["gain_shift"])  # type: ignore[arg-type]
        return frames

    # --- accelerometer -------------------------------------------------------------------

    def accel_ok(self):
        return self.accel.alive()

    def accel_read(self, out):
        return self.accel.read_fifo(out)
