# The recording pipeline: microphone blocks -> beamformer -> silence trimmer -> encoder ->
# a file in the store. run() is the audio task; start()/stop() are called by the app when
# the worn gate or a command says so. Nothing in the per-block path allocates.
import array
import asyncio
import json

from micropython import const

from crms.dsp import wav
from crms.dsp.adpcm import ImaEncoder
from crms.dsp.beam import Beamformer
from crms.dsp.calib import Calibrator
from crms.dsp.vad import Trimmer

_SPACE_CHECK_BLOCKS = const(300)  # about 5 s of 256-sample blocks at 16 kHz


class Recorder:
    def __init__(self, board, store, rec, taps):
        # rec: the config's `rec` section (checked); taps: (front, back, eq_b, eq_g) from
        # crms.dsp.beam.design_from_config.
        self.board = board
        self.store = store
        self.cfg = rec
        self.rate = rec["rate"]
        block = rec["block"]
        self.block = block
        self.raw = bytearray(4 * block)  # interleaved int16 [front, back] per frame
        self.mono = array.array("h", bytes(2 * block))
        self.beam = Beamformer(taps[0], taps[1], block, taps[2], taps[3])
        self.calib = Calibrator()
        ms_per_block = block * 1000 // self.rate
        self.trim = Trimmer(
            self._emit,
            block,
            ratio=rec["vad_ratio"],
            min_energy=rec["vad_min_energy"],
            hang_blocks=max(1, rec["hang_ms"] // ms_per_block),
            max_gap_blocks=max(1, rec["max_gap_ms"] // ms_per_block),
            preroll_blocks=max(1, rec["preroll_ms"] // ms_per_block),
        )
        self.ima = ImaEncoder(self._write)
        self.f = None
        self.rec_id = None
        self.codec = rec["codec"]
        self.blocked = False  # storage full of unacknowledged recordings
        self._meta = {}
        self._blocks = 0
        self._pcm_bytes = 0

    def active(self):
        return self.f is not None

    def start(self, worn_session, kiosk_session=None):
        # Open a new recording; None when storage is full of unacknowledged recordings.
        if self.f is not None:
            return self.rec_id
        if not self.store.ensure_space(self.cfg["min_free_kb"]):
            self.blocked = True
            return None
        self.blocked = False
        self.codec = self.cfg["codec"]
        self.rec_id = self.store.new_id()
        self.f = open(self.store.path(self.rec_id, "part"), "wb")
        self.f.write(wav.header(self.codec, self.rate, 0, 0))
        self.trim.reset()
        self.ima.reset()
        self._blocks = 0
        self._pcm_bytes = 0
        self._meta = {
            "codec": self.codec,
            "rate": self.rate,
            "start_ts": self.board.unix_time(),
            "start_ms": self.board.clock_ms(),
            "worn_session": worn_session,
            "kiosk_session": kiosk_session,
        }
        self.board.mic_start()
        return self.rec_id

    def stop(self, preroll=None):
        # Close the recording; returns its index entry (None when nothing was recording).
        # preroll: (kiosk session, ms) when a kiosk session begins where this one is cut: its
        # last ms (at most all of it) are that session's first seconds.
        f = self.f
        if f is None:
            return None
        self.board.mic_stop()
        self.trim.finish()
        if self.codec == "ima_adpcm":
            self.ima.flush()
            data, samples = self.ima.data_bytes, self.ima.samples
        else:
            data, samples = self._pcm_bytes, self._pcm_bytes // 2
        if data & 1:
            f.write(b"\x00")
        cuts = []
        for i in range(self.trim.ncuts):
            cuts.append([self.trim.cuts[2 * i], self.trim.cuts[2 * i + 1]])
        meta = self._meta
        trailer = wav.extra_chunk(
            b"crms", json.dumps({"cuts": cuts, "worn_session": meta["worn_session"]}).encode()
        )
        f.write(trailer)
        f.seek(0)
        f.write(wav.header(self.codec, self.rate, data, samples, len(trailer)))
        f.close()
        self.f = None
        meta["duration_ms"] = samples * 1000 // self.rate
        meta["cuts"] = len(cuts)
        meta["chunk_size"] = self.cfg["chunk_size"]
        meta["dropped_ms"] = sum(c[1] for c in cuts) * 1000 // self.rate
        if preroll:
            meta["preroll_session"] = preroll[0]
            meta["preroll_ms"] = min(preroll[1], meta["duration_ms"])
        rec_id, self.rec_id = self.rec_id, None
        return self.store.finish(rec_id, meta)

    def _emit(self, x, n):
        # Trimmer output: one kept block.
        if self.codec == "ima_adpcm":
            self.ima.write(x, n)
        elif self.f is not None:
            self.f.write(x)
            self._pcm_bytes += 2 * n

    def _write(self, buf):
        if self.f is not None:
            self.f.write(buf)

    def process_block(self):
        # The per-block work once self.raw holds a block (separate from run() so benchmarks
        # and tests can drive it without a board).
        t = self.trim
        quiet = t.since_speech > t.hang  # no speech in this block's neighbourhood
        self.beam.back_gain = self.calib.update(self.raw, self.block, quiet)
        self.beam.process(self.raw, self.mono, self.block)
        t.feed(self.mono, self.block)
        self._blocks += 1

    def due_rotation(self):
        return self._blocks * self.block >= self.cfg["max_s"] * self.rate

    def due_space_check(self):
        return self._blocks % _SPACE_CHECK_BLOCKS == 0

    async def run(self, on_close_due):
        # The audio task. on_close_due(): the recording reached max_s or storage is running
        # out; the app closes it and opens the next if it can.
        board = self.board
        while True:
            if self.f is None:
                await asyncio.sleep_ms(20)
                continue
            await board.mic_read(self.raw)
            if self.f is None:  # stopped while we waited for the block
                continue
            self.process_block()
            if self.due_rotation() or (
                self.due_space_check() and self.store.free_kb() < self.cfg["min_free_kb"] // 2
            ):
                on_close_due()
