# Pin maps per badge hardware revision (the config's `hw`): data only, read by the ESP32-S3
# board. A new revision is a new entry here, not new code.
PINMAPS = {
    "badge-r1": {
        # Two I2S MEMS microphones (24-bit in 32-bit slots) on one bus, L/R by their SEL pin.
        "i2s": {
            "id": 0,
            "sck": 4,
            "ws": 5,
            "sd": 6,
            "front_slot": 0,
            "gain_shift": 3,
            "ibuf": 16384,
        },
        "i2c": {"id": 0, "scl": 9, "sda": 8, "freq": 400000},
        "accel": {"addr": 0x18, "int": 14, "range_g": 4, "rate_hz": 25},
        "battery": {"adc": 1, "divider": 2.0},  # 100k/100k to the cell
        "charger": {"pin": 7, "active": 0},  # charger IC's CHRG, open drain, low = charging
        "sd": {"slot": 2, "sck": 12, "mosi": 11, "miso": 13, "cs": 10, "freq": 20000000},
        "led": {"pin": 21, "active": 1},
    },
    "badge-r2": {
        "i2s": {
            "id": 0,
            "sck": 15,
            "ws": 16,
            "sd": 17,
            "front_slot": 1,
            "gain_shift": 3,
            "ibuf": 16384,
        },
        "i2c": {"id": 0, "scl": 2, "sda": 1, "freq": 400000},
        "accel": {"addr": 0x19, "int": 3, "range_g": 4, "rate_hz": 25},
        "battery": {"adc": 4, "divider": 3.0},
        "charger": {"pin": 5, "active": 0},
        "sd": {"slot": 2, "sck": 36, "mosi": 35, "miso": 37, "cs": 34, "freq": 20000000},
        "led": {"pin": 48, "active": 0},
    },
}
