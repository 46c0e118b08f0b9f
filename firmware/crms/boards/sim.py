# Simulated board for the MicroPython unix port: battery and charger from the config's `sim`
# section, storage on the host filesystem, Wi-Fi always associated.
import gc
import os
import time

from micropython import const

_FULL_MV = const(4150)
_EMPTY_MV = const(3300)


class SimBoard:
    name = "sim"

    def __init__(self, sim):
        self._t0 = time.ticks_ms()
        self._start_mv = sim.get("battery_mv", 3950)
        self._drain_mv_per_h = sim.get("drain_mv_per_h", 40)
        self._charging = sim.get("charging", False)
        self._worn = sim.get("worn", False)
        self._rssi = sim.get("rssi_dbm", -58)
        self._storage = sim.get("storage_dir", "/tmp")

    def uptime_ms(self):
        return time.ticks_diff(time.ticks_ms(), self._t0)

    def unix_time(self):
        return int(time.time())

    def battery_mv(self):
        hours = self.uptime_ms() / 3_600_000
        if self._charging:
            return min(_FULL_MV, int(self._start_mv + 4 * self._drain_mv_per_h * hours))
        return max(_EMPTY_MV, int(self._start_mv - self._drain_mv_per_h * hours))

    def battery_pct(self):
        pct = (self.battery_mv() - _EMPTY_MV) * 100 // (_FULL_MV - _EMPTY_MV)
        return max(0, min(100, pct))

    def charging(self):
        return self._charging

    def storage_free_kb(self):
        st = os.statvfs(self._storage)
        return st[1] * st[4] // 1024

    def rssi_dbm(self):
        return self._rssi

    def heap_free(self):
        return gc.mem_free()

    def worn(self):
        return self._worn

    def led(self, on):
        pass
