# Recordings on the badge's storage (the SD card, or a folder on the simulated board).
#
# Per recording `<id>`, in one folder:
#   <id>.part        being written (a power cut leaves it; recover() finishes it at boot)
#   <id>.wav         finished, waiting for the fleet
#   <id>.json        its index entry: id, seq, size, sha256, codec, rate, duration_ms,
#                    start_ts, worn_session, cuts; written to <id>.tmp then renamed
#   <id>.ack         renamed from .json once the fleet acknowledged all of it
#   <id>.rej         renamed from .json when the fleet refused the id (kept, not resent)
# Ids are `r-<seq>-<boot>`: seq (6 digits, one more than the highest on the card) orders
# them, the boot id keeps them unique if a card is wiped. Acknowledged recordings stay as a
# local copy until space runs low; then the oldest acknowledged ones are evicted. An
# unacknowledged recording is never evicted: the recorder stops and reports instead.
import binascii
import hashlib
import json
import os

from crms.dsp import wav
from crms.files import exists, size

_HASH_BUF = 2048


class Store:
    def __init__(self, folder, boot_id, free_kb):
        # free_kb: a callable giving the free space of the folder's filesystem, in KiB.
        self.dir = folder
        self._boot = boot_id
        self._free_kb = free_kb
        self._buf = bytearray(_HASH_BUF)
        try:
            os.mkdir(folder)
        except OSError:
            pass
        self.next_seq = self._scan_max_seq() + 1

    def path(self, rec_id, ext):
        return self.dir + "/" + rec_id + "." + ext

    def _names(self, ext):
        out = []
        for entry in os.ilistdir(self.dir):
            name = entry[0]
            if name.endswith("." + ext):
                out.append(name[: -len(ext) - 1])
        out.sort()  # ids sort by seq
        return out

    def _scan_max_seq(self):
        best = -1
        for entry in os.ilistdir(self.dir):
            name = entry[0]
            if name.startswith("r-") and len(name) > 8:
                try:
                    best = max(best, int(name[2:8]))
                except ValueError:
                    pass
        return best

    def new_id(self):
        rec_id = "r-%06d-%08x" % (self.next_seq % 1000000, self._boot)
        self.next_seq += 1
        return rec_id

    # --- queries -------------------------------------------------------------------------

    def pending(self):
        # Finished recordings the fleet has not acknowledged, oldest first.
        return self._names("json")

    def acked(self):
        return self._names("ack")

    def entry(self, rec_id):
        for ext in ("json", "ack"):
            try:
                with open(self.path(rec_id, ext)) as f:
                    return json.load(f)
            except OSError:
                pass
        raise KeyError(rec_id)

    def free_kb(self):
        return self._free_kb()

    def summary(self):
        pending = self.pending()
        kb = 0
        for rec_id in pending:
            kb += size(self.path(rec_id, "wav")) // 1024
        return {
            "free_kb": self.free_kb(),
            "pending": len(pending),
            "pending_kb": kb,
            "acked": len(self.acked()),
        }

    # --- writing -------------------------------------------------------------------------

    def finish(self, rec_id, meta):
        # A closed .part file -> .wav with its index entry. meta: codec, rate, duration_ms,
        # start_ts, worn_session, cuts. Returns the entry.
        part = self.path(rec_id, "part")
        entry = {}
        for k in meta:
            entry[k] = meta[k]
        entry["id"] = rec_id
        entry["seq"] = int(rec_id[2:8])
        entry["size"] = size(part)
        entry["sha256"] = self._sha256(part)
        tmp = self.path(rec_id, "tmp")
        with open(tmp, "w") as f:
            json.dump(entry, f)
        os.rename(part, self.path(rec_id, "wav"))
        os.rename(tmp, self.path(rec_id, "json"))
        return entry

    def _sha256(self, path):
        h = hashlib.sha256()
        mv = memoryview(self._buf)
        with open(path, "rb") as f:
            while True:
                n = f.readinto(self._buf)
                if not n:
                    break
                h.update(mv[:n])
        return binascii.hexlify(h.digest()).decode()

    def mark_acked(self, rec_id):
        try:
            os.rename(self.path(rec_id, "json"), self.path(rec_id, "ack"))
        except OSError:
            pass  # already marked

    def mark_rejected(self, rec_id):
        # The fleet holds another recording under this id: keep the file (.rej), never
        # evict it, stop offering it.
        try:
            os.rename(self.path(rec_id, "json"), self.path(rec_id, "rej"))
        except OSError:
            pass

    def evict(self, want_free_kb):
        # Delete the oldest acknowledged recordings until want_free_kb is free.
        # Returns how many were evicted; never touches an unacknowledged recording.
        n = 0
        for rec_id in self.acked():
            if self.free_kb() >= want_free_kb:
                break
            for ext in ("wav", "ack"):
                try:
                    os.remove(self.path(rec_id, ext))
                except OSError:
                    pass
            n += 1
        return n

    def ensure_space(self, want_free_kb):
        # True when want_free_kb is free (after evicting acknowledged recordings if needed).
        if self.free_kb() >= want_free_kb:
            return True
        self.evict(want_free_kb)
        return self.free_kb() >= want_free_kb

    # --- boot ----------------------------------------------------------------------------

    def recover(self):
        # Finish what a power cut left: .part files get their WAV sizes repaired and an
        # index entry; a .wav without its entry gets one. Returns the recovered ids.
        done = []
        for rec_id in self._names("tmp"):
            os.remove(self.path(rec_id, "tmp"))
        for rec_id in self._names("part"):
            path = self.path(rec_id, "part")
            try:
                meta = _repair_header(path)
            except (OSError, ValueError) as e:
                print("store: cannot recover", rec_id, repr(e))
                continue
            self.finish(rec_id, meta)
            done.append(rec_id)
        for rec_id in self._names("wav"):
            if not exists(self.path(rec_id, "json")) and not exists(self.path(rec_id, "ack")):
                os.rename(self.path(rec_id, "wav"), self.path(rec_id, "part"))
                self.finish(rec_id, _repair_header(self.path(rec_id, "part")))
                done.append(rec_id)
        return done


def _repair_header(path):
    # Rewrite a WAV header whose sizes were never filled in; return the entry's metadata.
    with open(path, "r+b") as f:
        head = f.read(wav.IMA_HEADER)
        codec = wav.codec_of(head)
        rate = int.from_bytes(head[24:28], "little")
        hsize = wav.header_size(codec)
        size = f.seek(0, 2)
        data = size - hsize
        if codec == "ima_adpcm":
            data -= data % 256
            samples = data // 256 * 505
        else:
            data -= data & 1
            samples = data // 2
        f.seek(0)
        f.write(wav.header(codec, rate, data, samples))
    return {
        "codec": codec,
        "rate": rate,
        "duration_ms": samples * 1000 // rate,
        "start_ts": None,
        "worn_session": None,
        "cuts": [],
        "recovered": True,
    }
