# The health check of a new version on trial (after an update): it is kept only if, before
# the deadline, the config is valid, the broker was reached, the microphones and the
# accelerometer answer and the heap has room. Otherwise the badge reboots and loader.py
# goes back to the version that ran before.
import asyncio
import gc

DEADLINE_MS = 120_000
HEAP_FLOOR = 24 * 1024  # bytes free after a collection: what recording and uploading need
_FRAMES = 64


async def check(app):
    """(True, None) when healthy, else (False, what failed)."""
    if app.config_error:
        return False, "config invalid: " + app.config_error
    gc.collect()
    if app.board.heap_free() < HEAP_FLOOR:
        return False, "heap %d bytes free, below %d" % (app.board.heap_free(), HEAP_FLOOR)
    if not app.board.accel_ok():
        return False, "accelerometer does not answer"
    if not app.recorder.active():  # else the recorder proves the microphones
        buf = bytearray(4 * _FRAMES)
        app.board.mic_start()
        try:
            frames = await app.board.mic_read(buf)
        finally:
            if not app.recorder.active():  # the recorder may have started meanwhile
                app.board.mic_stop()
        if frames <= 0:
            return False, "microphones give no audio"
    waited = 0
    while app.uplink is None or not app.uplink.connected():
        if waited >= DEADLINE_MS:
            return False, "broker not reached in %d s" % (DEADLINE_MS // 1000)
        await asyncio.sleep_ms(200)
        waited += 200
    return True, None
