"""The emulated badge rig: an ESP32-S3 ROM bootloader that esptool flashes over
``socket://``, and the MicroPython unix port that boots what was flashed."""
