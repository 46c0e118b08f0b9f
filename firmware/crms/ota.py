# An update of the badge's app, from the fleet's `ota` command to the reboot into the new
# version on trial (loader.py then tries it once; crms/health.py keeps it or not).
#
# Steps, each reported as an `ota` event (docs/protocol.md, "Updates"):
#   1. check the release's manifest: signed by a trusted key, for this kind of device and
#      hardware revision, allowed from this version, fits the flash       (nothing written)
#   2. downloading: HTTP(S) GET with Range into ota/<sha>.part, resumed after a cut
#   3. verifying: the bundle's size and SHA-256 against the signed manifest
#   4. applying: the inactive slot emptied, the bundle unpacked there, slot.json written last
#   5. rebooting: boot.json says "try this slot once", then the app shuts down (the open
#      recording is closed and kept) and the board resets
# Any refusal or failure before step 5 leaves the running version and boot.json untouched.
import asyncio
import json
import os
import sys

import loader

from crms import protocol, signature
from crms.bundle import BundleError, extract, remove_tree

KIND = "badge-app"
_CHUNK = 4096
_RETRIES = 5
_RESERVE = 32 * 1024  # flash left free after an update: config, boot.json, certificates
_TIMEOUT_S = 20


class UpdateError(Exception):
    pass


def _read_json(path):
    with open(path) as f:
        return json.load(f)


def trusted_keys(root):
    # The release keys this app trusts: shipped in its slot (so the previous release chooses
    # the next one's keys), or, for the factory app, written at the bench beside config.json.
    for where in sys.path:
        if where.endswith("/app_a") or where.endswith("/app_b"):
            try:
                return signature.load_keys(_read_json(where + "/trusted_keys.json"))
            except OSError:
                break
    try:
        return signature.load_keys(_read_json(root + "/trusted_keys.json"))
    except OSError:
        raise UpdateError("no trusted release keys on this badge") from None


def free_bytes(root):
    st = os.statvfs(root or "/")
    return st[0] * st[3]


def _tree_bytes(path):
    total = 0
    try:
        entries = list(os.ilistdir(path))
    except OSError:
        return 0
    for e in entries:
        if e[1] == 0x4000:
            total += _tree_bytes(path + "/" + e[0])
        else:
            total += os.stat(path + "/" + e[0])[6]
    return total


def _split_url(url):
    if url.startswith("https://"):
        tls, rest = True, url[8:]
    elif url.startswith("http://"):
        tls, rest = False, url[7:]
    else:
        raise UpdateError("url must be http:// or https://")
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    return tls, host, int(port) if port else (443 if tls else 80), "/" + path


class Updater:
    """One update at a time. ``event(type, data)`` sends events; ``shutdown_and_reset()``
    ends the app for the reboot."""

    def __init__(self, board, cfg, root, version, event, reboot):
        self.board = board
        self.cfg = cfg
        self.root = root
        self.version = version
        self.event = event
        self.reboot = reboot
        self.busy = False
        self._task = None
        self.release = None
        self.release_version = None

    def _report(self, state, pct=None, reason=None):
        self.event(
            "ota", protocol.ota_progress(self.release, self.release_version, state, pct, reason)
        )

    def check(self, args):
        # Step 1, before the command is answered: the manifest as a dict, else UpdateError.
        try:
            m = signature.check_manifest(
                args["manifest"].encode(),
                bytes.fromhex(args["sig"]),
                trusted_keys(self.root),
                KIND,
                self.cfg["hw"],
                self.version,
            )
        except signature.SignatureError as e:
            raise UpdateError(str(e)) from None
        if m.get("version") != args["version"]:
            raise UpdateError("the command's version is not the manifest's")
        slot = loader.inactive(self.root)
        room = free_bytes(self.root) + _tree_bytes(loader.slot_dir(self.root, slot))
        part = self._part(m)
        try:
            room += os.stat(part)[6]
        except OSError:
            pass
        # the bundle and its unpacked files (about as large) must fit beside what stays
        if 2 * m["size"] + _RESERVE > room:
            raise UpdateError("does not fit: %d bytes needed, %d free" % (2 * m["size"], room))
        return m

    def _part(self, m):
        return self.root + "/ota_" + m["sha256"][:16] + ".part"

    def start(self, args):
        # Answer the command now (ok or the reason); the rest runs as a task.
        if self.busy:
            return False, "an update is already running"
        self.release = args["release"]
        self.release_version = args["version"]
        try:
            m = self.check(args)
        except UpdateError as e:
            self._report("error", reason=str(e))
            return False, str(e)
        self.busy = True
        self._task = asyncio.create_task(self._run(args["url"], m))
        return True, None

    async def _run(self, url, m):
        try:
            path = await self.download(url, m)
            self._report("verifying")
            await asyncio.sleep_ms(0)
            try:
                signature.check_bundle(m, path)
            except signature.SignatureError as e:
                os.remove(path)  # a corrupt download is fetched whole next time
                raise UpdateError(str(e)) from None
            self._report("applying")
            slot = self.apply(path, m)
            self._report("rebooting")
            loader.set_trial(self.root, slot, self.release)
            await asyncio.sleep_ms(300)  # the events go out first
            self.reboot()
        except (UpdateError, BundleError, OSError) as e:
            self._report("error", reason=str(e))
        finally:
            self.busy = False

    async def download(self, url, m):
        # ota_<sha>.part grows until it holds the bundle; a cut resumes where it stopped.
        part = self._part(m)
        size = m["size"]
        state = [0, -1]  # bytes held, last percentage reported

        def progress(n):
            state[0] += n
            pct = state[0] * 100 // size
            if pct // 10 != state[1] // 10:
                state[1] = pct
                self._report("downloading", pct)

        last = ""
        for attempt in range(_RETRIES):
            try:
                have = os.stat(part)[6]
            except OSError:
                have = 0
            if have > size:
                os.remove(part)
                have = 0
            if have == size:
                return part
            state[0] = have
            try:
                await self._fetch(url, have, size, part, progress)
            except (OSError, UpdateError, asyncio.TimeoutError) as e:
                last = str(e) or type(e).__name__
                print("ota: download cut at", state[0], "of", size, "-", last)
                await asyncio.sleep_ms(500 * (attempt + 1))
        try:
            if os.stat(part)[6] == size:
                return part
        except OSError:
            pass
        raise UpdateError("download failed after %d attempts: %s" % (_RETRIES, last))

    async def _fetch(self, url, start, size, part, progress):
        tls, host, port, path = _split_url(url)
        ctx = None
        if tls:
            ctx = self._tls_context()
        reader, writer = await asyncio.wait_for(  # type: ignore[var-annotated]
            asyncio.open_connection(host, port, ssl=ctx), _TIMEOUT_S
        )
        try:
            req = "GET %s HTTP/1.1\r\nHost: %s\r\nRange: bytes=%d-\r\nConnection: close\r\n\r\n"
            writer.write((req % (path, host, start)).encode())
            await writer.drain()
            status = await asyncio.wait_for(reader.readline(), _TIMEOUT_S)
            code = int(status.split()[1]) if len(status.split()) > 1 else 0
            length = None
            while True:
                line = await asyncio.wait_for(reader.readline(), _TIMEOUT_S)
                if line in (b"\r\n", b"\n", b""):
                    break
                k, _, v = line.decode().partition(":")
                if k.lower() == "content-length":
                    length = int(v.strip())
            if code == 200 and start:
                raise UpdateError("the server ignored the range")
            if code not in (200, 206):
                raise UpdateError("download refused: HTTP %d" % code)
            if length is None or start + length != size:
                raise UpdateError("the server's length does not match the release")
            with open(part, "ab") as f:
                left = length
                while left:
                    data = await asyncio.wait_for(reader.read(min(_CHUNK, left)), _TIMEOUT_S)
                    if not data:
                        raise UpdateError("connection closed")
                    f.write(data)
                    left -= len(data)
                    progress(len(data))
        finally:
            writer.close()
            await writer.wait_closed()

    def _tls_context(self):
        import ssl

        tls = (self.cfg.get("broker") or {}).get("tls")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if tls is None:
            raise UpdateError("https needs the fleet CA (broker.tls) in the config")
        ctx.verify_mode = ssl.CERT_REQUIRED  # type: ignore[attr-defined]
        with open(tls["ca"], "rb") as f:
            ctx.load_verify_locations(cadata=f.read())
        return ctx

    def apply(self, path, m, on_step=None):
        # Unpack into the inactive slot; slot.json last: until it exists the slot is not whole.
        # on_step(name) after each step (the power-loss test stops the badge there).
        step = on_step or (lambda name: None)
        slot = loader.inactive(self.root)
        where = loader.slot_dir(self.root, slot)
        remove_tree(where)
        step("slot emptied")
        extract(path, where, lambda name: step("unpacked " + name))
        with open(where + "/slot.json", "w") as f:
            json.dump({"version": m["version"], "sha256": m["sha256"]}, f)
        step("slot marked")
        os.remove(path)
        step("bundle removed")
        return slot
