# Resumable upload of finished recordings while the badge is on charge (docs/protocol.md,
# "recordings"): manifest, the fleet's ack says which chunks it holds, send the others,
# repeat until an ack says complete; only then is the recording marked acknowledged (and
# may later be evicted). A lost link or a restarted fleet costs a manifest and the chunks
# the fleet had not made durable, never the recording.
import asyncio
import time

from micropython import const

from crms import protocol

_IDLE_MS = const(500)
_ANSWER_TIMEOUT_MS = const(10000)
_MAX_FAILED_ROUNDS = const(5)


class LinkDown(Exception):
    pass


def missing(ranges, total):
    # Chunk indexes in 0..total-1 not covered by the sorted [start, end) ranges.
    out = []
    i = 0
    for a, b in ranges:
        while i < min(a, total):
            out.append(i)
            i += 1
        i = max(i, b)
    while i < total:
        out.append(i)
        i += 1
    return out


class Uploader:
    def __init__(self, board, uplink, store, rec, on_event):
        self.board = board
        self.uplink = uplink
        self.store = store
        self.cfg = rec
        self._event = on_event  # on_event(type, data)
        self._buf = bytearray(protocol.CHUNK_HEADER_SIZE + rec["chunk_size"])
        self.uploading = None
        self.sent_chunks = 0

    def ready(self):
        return self.board.charging() and self.board.wifi_up() and self.uplink.connected()

    async def run(self):
        while True:
            pending = self.store.pending() if self.ready() else ()
            if not pending:
                await asyncio.sleep_ms(_IDLE_MS)
                continue
            try:
                await self.upload(pending[0])
            except LinkDown:
                print("upload: link down during", self.uploading)
                await asyncio.sleep_ms(_IDLE_MS)
            except OSError as e:
                print("upload:", self.uploading, repr(e))
                await asyncio.sleep_ms(_IDLE_MS)
            self.uploading = None

    def _publish(self, channel, payload, rec_id):
        if not self.ready() or not self.uplink.publish(channel, payload, 1, False, rec_id):
            raise LinkDown()

    async def _answer(self, rec_id, since_ms=0):
        # The fleet's answer: the latest ack for rec_id once acks have been quiet for
        # ack_quiet_ms (acks for earlier writes can still be on their way), or at once when
        # one says complete or names an error. None after a timeout.
        quiet = self.cfg["ack_quiet_ms"]
        start = time.ticks_ms()
        latest = None
        latest_at = start
        while True:
            acks = self.uplink.acks
            while acks:
                try:
                    ack = protocol.parse_ack_error(acks.pop(0))
                except ValueError as e:
                    print("upload: bad ack:", e)
                    continue
                if ack[0] != rec_id:
                    continue
                latest = ack
                latest_at = time.ticks_ms()
                if ack[2] or ack[3]:
                    return ack
            now = time.ticks_ms()
            if latest is not None and time.ticks_diff(now, latest_at) >= quiet:
                return latest
            if time.ticks_diff(now, start) >= _ANSWER_TIMEOUT_MS:
                return latest
            if not self.ready():
                raise LinkDown()
            await asyncio.sleep_ms(20)

    async def upload(self, rec_id):
        entry = self.store.entry(rec_id)
        size = entry["size"]
        cs = entry.get("chunk_size", self.cfg["chunk_size"])
        total = (size + cs - 1) // cs
        manifest = protocol.manifest(
            size,
            cs,
            entry["sha256"],
            entry["codec"],
            entry["rate"],
            entry["duration_ms"],
            entry["start_ts"],
            entry["worn_session"],
            entry.get("kiosk_session"),
            (entry["preroll_session"], entry["preroll_ms"]) if "preroll_session" in entry else None,
        )
        self.uploading = rec_id
        self.uplink.acks.clear()
        t0 = time.ticks_ms()
        sent0 = self.sent_chunks
        failed = 0
        with open(self.store.path(rec_id, "wav"), "rb") as f:
            while failed < _MAX_FAILED_ROUNDS:
                self._publish("manifest", manifest, rec_id)
                ack = await self._answer(rec_id)
                if ack is None:
                    failed += 1
                    continue
                _rec, ranges, complete, error = ack
                if complete:
                    return self._done(rec_id, t0, sent0)
                if error == "rec_id_taken":
                    self.store.mark_rejected(rec_id)
                    self._event("error", {"rec": rec_id, "upload": error})
                    return False
                if error:
                    failed += 1
                    print("upload:", rec_id, "fleet dropped it:", error)
                    continue
                todo = missing(ranges, total)
                for index in todo:
                    self._send_chunk(f, index, cs, size, total)
                    if self.cfg["upload_gap_ms"]:
                        await asyncio.sleep_ms(self.cfg["upload_gap_ms"])
                    else:
                        await asyncio.sleep_ms(0)
                ack = await self._answer(rec_id)
                if ack is not None and ack[2]:
                    return self._done(rec_id, t0, sent0)
                if not todo:
                    failed += 1
        print("upload:", rec_id, "gave up for now after", failed, "rounds")
        await asyncio.sleep_ms(_ANSWER_TIMEOUT_MS)
        return False

    def _done(self, rec_id, t0, sent0):
        self.store.mark_acked(rec_id)
        ms = time.ticks_diff(time.ticks_ms(), t0)
        print("upload:", rec_id, "complete,", self.sent_chunks - sent0, "chunks sent in", ms, "ms")
        return True

    def _send_chunk(self, f, index, cs, size, total):
        offset = index * cs
        n = min(cs, size - offset)
        if len(self._buf) < protocol.CHUNK_HEADER_SIZE + n:  # chunk_size was raised since
            self._buf = bytearray(protocol.CHUNK_HEADER_SIZE + cs)
        buf = self._buf
        mv = memoryview(buf)
        f.seek(offset)
        got = f.readinto(mv[protocol.CHUNK_HEADER_SIZE : protocol.CHUNK_HEADER_SIZE + n])
        if got != n:
            raise OSError("short read of chunk " + str(index))
        protocol.chunk_header(
            buf,
            index,
            offset,
            mv[protocol.CHUNK_HEADER_SIZE : protocol.CHUNK_HEADER_SIZE + n],
            index == total - 1,
        )
        self._publish("chunk", mv[: protocol.CHUNK_HEADER_SIZE + n], self.uploading)
        self.sent_chunks += 1
