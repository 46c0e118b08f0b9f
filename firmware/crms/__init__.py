# CRMsensor badge firmware (MicroPython). Runs unchanged on the ESP32-S3 and the unix port.
VERSION = "0.1.0"
