# Simulated board for the MicroPython unix port. It replays a scenario (a JSON file):
#   audio      two-channel 16-bit WAV, front microphone left, played from the moment the
#              recorder asks (what a real I2S peripheral would hear then)
#   accel      CSV `t_s,x_mg,y_mg,z_mg`
#   speed      world seconds per real second (1 = real time)
#   timeline   [[t_s, {"charging": bool, "wifi": bool, "battery_mv": int}], ...]
#   battery_mv, drain_mv_per_h, rssi_dbm, storage_dir (the "SD card"), storage_kb (its size)
#   control    a JSON file a test rig rewrites while the badge runs (its relay board):
#              {"charging": bool, "wifi": bool, "battery_mv": int}; its keys override the
#              timeline (read at most every 200 ms)
# Paths are relative to the scenario file. Its flash filesystem is a LittleFS image mounted
# at /flash (the config lives there), or a plain config path for quick runs.
import asyncio
import gc
import json
import os
import struct
import time

import vfs
from micropython import const

from crms.boards.blockdev import FileBlockDevice
from crms.files import beside

_FULL_MV = const(4150)
_EMPTY_MV = const(3300)
FLASH = "/flash"


def _wav_data(f):
    # -> (channels, rate, bits, data offset, data bytes) of a RIFF/WAVE file.
    head = f.read(12)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise ValueError("scenario audio is not a WAV file")
    fmt = None
    while True:
        h = f.read(8)
        if len(h) < 8:
            raise ValueError("scenario audio has no data chunk")
        cid, size = h[:4], struct.unpack("<I", h[4:])[0]
        if cid == b"fmt ":
            body = f.read(size)
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif cid == b"data":
            if fmt is None:
                raise ValueError("scenario audio: data before fmt")
            return fmt[1], fmt[2], fmt[5], f.tell(), size
        else:
            f.seek(size + (size & 1), 1)


def mount_image(path):
    # The flash filesystem: a LittleFS image file mounted at /flash; returns the config path.
    # (The stubs want a vfs.AbstractBlockDev subclass; MicroPython only needs the methods.)
    vfs.mount(vfs.VfsLfs2(FileBlockDevice(path)), FLASH)  # type: ignore[abstract, arg-type]
    return FLASH + "/config.json"


class SimBoard:
    name = "sim"

    def __init__(self, scenario_path=None):
        self._t0 = time.ticks_ms()
        sc = {}
        if scenario_path:
            with open(scenario_path) as f:
                sc = json.load(f)
        self.speed = sc.get("speed", 1.0)
        self._start_mv = sc.get("battery_mv", 3950)
        self._drain_mv_per_h = sc.get("drain_mv_per_h", 40)
        self._rssi = sc.get("rssi_dbm", -58)
        self._timeline = sc.get("timeline", [])
        base = scenario_path or "./x"
        self._control_path = beside(base, sc["control"]) if sc.get("control") else None
        self._control = {}
        self._control_at = time.ticks_add(time.ticks_ms(), -1000)
        self.rec_dir = beside(base, sc.get("storage_dir", "recordings"))
        self._quota_kb = sc.get("storage_kb")
        self._accel_dead = bool(sc.get("accel_dead"))
        self._audio = None
        if sc.get("audio"):
            self._audio = open(beside(base, sc["audio"]), "rb")
            ch, rate, bits, self._data0, self._data_len = _wav_data(self._audio)
            if ch != 2 or bits != 16:
                raise ValueError("scenario audio must be 2-channel 16-bit")
            self.mic_rate = rate
        else:
            self.mic_rate = 16000
        self._cursor = 0  # frames
        self._accel = open(beside(base, sc["accel"])) if sc.get("accel") else None
        self._next = None  # the next accelerometer line, parsed: (t_ms, x, y, z)
        self._last = (0, 0, 0, 1000)  # lying face up until the trace says otherwise
        self.accel_rate_hz = sc.get("accel_rate_hz", 25)
        if self._accel is not None:
            self._accel.readline()
        self._led = False

    # --- time ----------------------------------------------------------------------------

    def uptime_ms(self):
        return time.ticks_diff(time.ticks_ms(), self._t0)

    def clock_ms(self):
        # World time of the scenario, the time base of microphones and accelerometer.
        return int(self.uptime_ms() * self.speed)

    def unix_time(self):
        t = time.time()
        return int(t) if time.gmtime(0)[0] == 1970 else int(t) + 946684800

    # --- power, link, storage ------------------------------------------------------------

    def _controlled(self, path):
        # The rig's control file, re-read at most every 200 ms ({} when absent or bad).
        now = time.ticks_ms()
        if time.ticks_diff(now, self._control_at) >= 200:
            self._control_at = now
            try:
                with open(path) as f:
                    self._control = json.load(f)
            except (OSError, ValueError):
                self._control = {}
        return self._control

    def _state(self, key, default):
        if self._control_path is not None:
            control = self._controlled(self._control_path)
            if key in control:
                return control[key]
        now_s = self.clock_ms() / 1000
        value = default
        for t, change in self._timeline:
            if t <= now_s and key in change:
                value = change[key]
        return value

    def battery_mv(self):
        mv = self._state("battery_mv", None)
        if mv is not None:
            return mv
        hours = self.clock_ms() / 3_600_000
        return max(_EMPTY_MV, int(self._start_mv - self._drain_mv_per_h * hours))

    def battery_pct(self):
        pct = (self.battery_mv() - _EMPTY_MV) * 100 // (_FULL_MV - _EMPTY_MV)
        return max(0, min(100, pct))

    def charging(self):
        return self._state("charging", False)

    def wifi_up(self):
        return self._state("wifi", True)

    def wifi_connect(self, wifi):
        pass  # the host's network is always there; `wifi` in the timeline says if it is usable

    def rssi_dbm(self):
        return self._rssi if self.wifi_up() else None

    def storage_free_kb(self):
        if self._quota_kb is None:
            st = os.statvfs(self.rec_dir)
            return st[1] * st[4] // 1024
        used = 0
        for entry in os.ilistdir(self.rec_dir):
            used += os.stat(self.rec_dir + "/" + entry[0])[6]
        return max(0, self._quota_kb - used // 1024)

    def heap_free(self):
        return gc.mem_free()

    def led(self, on):
        self._led = on

    def reset(self):
        # A reboot ends the process with code 3; whoever runs the simulation restarts it.
        raise SystemExit(3)

    # --- microphones -----------------------------------------------------------------------

    def mic_start(self):
        # The I2S peripheral starts now: skip to what the world sounds like at this moment.
        self._cursor = self.clock_ms() * self.mic_rate // 1000

    def mic_stop(self):
        pass

    async def mic_read(self, buf):
        # Fill buf (interleaved int16 front/back) with the next frames, paced to the world clock.
        frames = len(buf) // 4
        due = (self._cursor + frames) * 1000 // self.mic_rate
        wait = int((due - self.clock_ms()) / self.speed)
        if wait > 0:
            await asyncio.sleep_ms(wait)
        if self._audio is None:
            n = 0
        else:
            pos = self._cursor * 4
            n = 0
            if pos < self._data_len:
                self._audio.seek(self._data0 + pos)
                n = self._audio.readinto(buf) or 0
                n = min(n, self._data_len - pos)
        for i in range(n, len(buf)):
            buf[i] = 0
        self._cursor += frames
        return frames

    # --- accelerometer ---------------------------------------------------------------------

    def accel_ok(self):
        # The sensor answers, unless the scenario breaks it ("accel_dead": true).
        return not self._accel_dead

    def accel_read(self, out):
        # Samples due by now into out (array 'h', x y z per sample); returns how many.
        if self._accel is None:
            return 0
        now = self.clock_ms()
        n = 0
        cap = len(out) // 3
        while n < cap:
            if self._next is None:
                line = self._accel.readline()
                if not line:
                    break
                p = line.split(",")
                self._next = (int(float(p[0]) * 1000), int(p[1]), int(p[2]), int(p[3]))
            if self._next[0] > now:
                break
            s = self._next
            out[3 * n] = s[1]
            out[3 * n + 1] = s[2]
            out[3 * n + 2] = s[3]
            self._last = s
            self._next = None
            n += 1
        return n
