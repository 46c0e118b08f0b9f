# The badge application: worn gate -> recorder, uplink with telemetry, events, commands and
# uploads while on charge. One board object and one checked config come in from main.py.
import array
import asyncio
import binascii
import gc
import os

from crms import VERSION, config, identity, protocol
from crms.dsp.beam import das_taps, design_from_config
from crms.events import EventLog
from crms.recorder import Recorder
from crms.store import Store
from crms.worn import WornGate

_POLL_MS = 100
_ACCEL_POLL_MS = 100
_RETRY_BLOCKED_MS = 5000
_MAX_PREROLL_MS = 60000  # a kiosk's pre-roll: its confirmation time plus a margin


class BadgeApp:
    def __init__(self, board, cfg, config_path=None, config_error=None, boot=None):
        # boot: what loader.py chose ({"slot", "version", "trial", "release", "last", "root"})
        self.boot = boot or {"slot": None, "trial": False, "last": None, "root": "."}
        self.version = VERSION
        self.board = board
        self.cfg = cfg
        self.config_path = config_path
        self.config_error = config_error
        self.boot_id = int.from_bytes(os.urandom(4), "big")
        self._tele_seq = 0
        self.events = EventLog(self.boot_id)  # until the fleet holds them (crms/events.py)
        self._announced = False  # the boot event is queued at the first connection
        rec = cfg["rec"]
        try:
            taps = design_from_config(cfg["beam"], rec["rate"])
        except (ValueError, ImportError) as e:
            print(e, "- using delay-and-sum")
            front, back = das_taps(17.5, rec["rate"])
            taps = (front, back, 0, 4095)
        # Big buffers come after a collection, so they do not land between import garbage.
        gc.collect()
        self.store = Store(board.rec_dir, self.boot_id, board.storage_free_kb)
        for rec_id in self.store.recover():
            print("store: recovered", rec_id)
        self.recorder = Recorder(board, self.store, rec, taps)
        self.gate = WornGate(board.accel_rate_hz)
        self.forced = None  # True/False: a command overrides the gate until it next changes
        self.worn_session = None
        self.kiosk_session = None  # the cash desk's service session (the kiosk, via the fleet)
        self._worn_n = 0
        self._storage_low_sent = False
        self.reboot = False
        self._stop = asyncio.Event()
        self.uplink = None
        self.uploader = None
        self.updater = None
        self._last_reported = False
        last = self.boot.get("last")
        if last:
            # How the last update ended, left by loader.py (rolled back) or by the health
            # check; cleared once it is sent.
            self.event("ota", last)
        if cfg.get("broker"):
            # Imported only when there is a broker: an offline badge keeps that heap.
            from crms.uplink import Uplink
            from crms.upload import Uploader

            online = protocol.status_online(
                cfg["kind"], VERSION, cfg["hw"], self.boot_id, cfg["keepalive_s"]
            )
            self.uplink = Uplink(cfg["device_id"], cfg["broker"], cfg["keepalive_s"], online)
            self.uploader = Uploader(board, self.uplink, self.store, rec, self.event)
            from crms.ota import Updater

            self.updater = Updater(
                board, cfg, self.boot["root"], VERSION, self.event, self.reboot_now
            )

    # --- events and telemetry ------------------------------------------------------------

    def event(self, type_, data=None):
        # Queue an event (bounded; the oldest goes first when full) and send what we can.
        self.events.add(type_, self.board.unix_time(), data)
        self._flush_events()

    def _publish_event(self, payload):
        up = self.uplink
        return up is not None and up.publish(protocol.EVT, payload, qos=1)

    def _flush_events(self):
        up = self.uplink
        if up is None:
            return
        while up.evt_acks:
            try:
                ranges = protocol.parse_evt_ack(up.evt_acks.pop(0))
            except ValueError as e:
                print("app: bad event ack:", e)
                continue
            if ranges:
                self.events.on_ack(ranges)
        if up.connected():
            self.events.send(self._publish_event)

    def telemetry(self):
        b = self.board
        gc.collect()  # heap_free then says what is really free (and keeps the heap tidy)
        fields = {
            "seq": self._tele_seq,
            "boot": self.boot_id,
            "uptime_s": b.uptime_ms() // 1000,
            "ts": b.unix_time(),
            "fw": VERSION,
            "batt_mv": b.battery_mv(),
            "batt_pct": b.battery_pct(),
            "charging": b.charging(),
            "storage_free_kb": b.storage_free_kb(),
            "rssi_dbm": b.rssi_dbm(),
            "heap_free": b.heap_free(),
            "worn": self.gate.worn,
            "backlog": len(self.store.pending()),
        }
        self._tele_seq += 1
        return protocol.telemetry(fields)

    # --- recording -----------------------------------------------------------------------

    def on_gate(self, worn):
        t_ms = self.board.clock_ms()
        if worn:
            self._worn_n += 1
            self.worn_session = "w-%08x-%d" % (self.boot_id, self._worn_n)
            self.event("worn", {"t_ms": t_ms, "worn_session": self.worn_session})
        else:
            self.event("unworn", {"t_ms": t_ms, "worn_session": self.worn_session})
        self.forced = None
        self.update_recording()

    def want_recording(self):
        return self.forced if self.forced is not None else self.gate.worn

    def update_recording(self):
        rec = self.recorder
        if self.want_recording() and not rec.active():
            rec_id = rec.start(self.worn_session, self.kiosk_session)
            if rec_id is None:
                if not self._storage_low_sent:
                    self._storage_low_sent = True
                    self.event("storage_low", self.store.summary())
                return
            self._storage_low_sent = False
            self.event("rec_start", {"rec": rec_id, "t_ms": self.board.clock_ms()})
        elif not self.want_recording() and rec.active():
            self._close_recording()

    def _close_recording(self, preroll=None):
        t_ms = self.board.clock_ms()
        entry = self.recorder.stop(preroll)
        if entry is not None:
            self.event(
                "rec_stop",
                {
                    "rec": entry["id"],
                    "t_ms": t_ms,
                    "duration_ms": entry["duration_ms"],
                    "size": entry["size"],
                },
            )

    def _reopen(self):
        # The recorder says close this recording (max_s reached, or storage running out):
        # close it and open the next if still wanted (this evicts acknowledged recordings
        # when space is short, or reports storage_low).
        self._close_recording()
        self.update_recording()

    async def accel_task(self):
        buf = array.array("h", bytes(2 * 3 * 32))
        since_retry = 0
        while True:
            n = self.board.accel_read(buf)
            for i in range(n):
                if self.gate.update(buf[3 * i], buf[3 * i + 1], buf[3 * i + 2]):
                    self.on_gate(self.gate.worn)
            since_retry += _ACCEL_POLL_MS
            if self.recorder.blocked and since_retry >= _RETRY_BLOCKED_MS:
                since_retry = 0
                self.update_recording()
            await asyncio.sleep_ms(_ACCEL_POLL_MS)

    # --- commands ------------------------------------------------------------------------

    def handle_command(self, payload):
        try:
            cmd_id, op, args = protocol.parse_command(payload)
        except ValueError as e:
            print("app: bad command:", e)
            return
        renewed = False
        ok, result, error = True, None, None
        if op == "ping":
            result = {"uptime_s": self.board.uptime_ms() // 1000}
        elif op == "renew_cert":
            ok, result, error = self._renew(args)
            renewed = ok
        elif (op == "rec_start" or op == "rec_stop") and "kiosk_session" in args:
            ok, result, error = self._kiosk_boundary(
                op == "rec_start", args["kiosk_session"], args.get("preroll_ms", 0)
            )
        elif op == "rec_start" or op == "rec_stop":
            self.forced = op == "rec_start"
            self.update_recording()
            result = {"recording": self.recorder.active(), "rec": self.recorder.rec_id}
            if self.forced and not self.recorder.active():
                ok, error = False, "storage full of unacknowledged recordings"
        elif op == "storage":
            result = self.store.summary()
            result["recording"] = self.recorder.active()
        elif op == "set_config":
            ok, result, error = self._set_config(args)
        elif op == "reboot":
            self.reboot_now()
        elif op == "ota":
            ok, result, error = self._ota(args)
        else:
            ok, error = False, "unsupported op: " + op
        up = self.uplink
        if up is None:
            return
        up.publish(protocol.CMD_RES, protocol.cmd_result(cmd_id, ok, result, error), qos=1)
        if renewed:
            up.reconnect()  # the next connection presents the new certificate

    def reboot_now(self):
        # End the app (the open recording is closed and kept); main.py resets the board.
        self.reboot = True
        self._stop.set()

    def _ota(self, args):
        if self.updater is None:
            return False, None, "no uplink"
        try:
            protocol.parse_ota(args)
        except ValueError as e:
            return False, None, str(e)
        ok, error = self.updater.start(args)
        return ok, {"release": args["release"], "from": self.version}, error

    async def trial_task(self):
        # A new version on trial: keep it if healthy, else reboot (loader.py rolls back).
        import loader

        from crms import health

        ok, reason = await health.check(self)
        release = self.boot.get("release")
        root = self.boot["root"]
        if ok:
            loader.confirm(root)
            print("ota: healthy, version", self.version, "kept")
            self.event("ota", protocol.ota_progress(release, self.version, "healthy"))
            return
        print("ota: health check failed:", reason)
        # reported as rolled_back, with this reason, once the previous version runs again
        loader.fail_trial(root, "health: " + reason)
        self.reboot_now()

    def _kiosk_boundary(self, starts, session, preroll_ms=0):
        # A kiosk's session starts or ends: split the recording there and tag what follows.
        # It never overrides the worn gate: a badge that is not worn records nothing.
        # preroll_ms: how long before this command the session began (the kiosk confirms a
        # start after seeing it for a while) plus a margin; the part closed here says that
        # its last preroll_ms belong to the session, so the first seconds are not lost.
        if not isinstance(session, str) or not 1 <= len(session) <= 40:
            return False, None, "kiosk_session must be a string of 1-40 characters"
        if not isinstance(preroll_ms, int) or not 0 <= preroll_ms <= _MAX_PREROLL_MS:
            return False, None, "preroll_ms must be a whole number of 0-%d ms" % _MAX_PREROLL_MS
        if not starts and session != self.kiosk_session:
            return True, {"recording": self.recorder.active(), "kiosk_session": None}, None
        self.kiosk_session = session if starts else None
        if self.recorder.active():
            self._close_recording((session, preroll_ms) if starts and preroll_ms else None)
        self.update_recording()
        result = {
            "recording": self.recorder.active(),
            "rec": self.recorder.rec_id if self.recorder.active() else None,
            "kiosk_session": self.kiosk_session,
        }
        return True, result, None

    def _set_config(self, args):
        if self.config_path is None:
            return False, None, "no config file"
        try:
            new = config.apply(self.config_path, args)
        except (config.ConfigError, OSError, ValueError) as e:
            return False, None, str(e)
        # Applied now: telemetry period, recording settings for the next recording.
        # Broker, identity and Wi-Fi changes take effect at the next boot.
        self.cfg["tele_interval_s"] = new["tele_interval_s"]
        for k in new["rec"]:
            self.cfg["rec"][k] = new["rec"][k]
        return True, {"keys": sorted(args)}, None

    def _renew(self, args):
        tls = self.cfg["broker"].get("tls")
        if tls is None:
            return False, None, "no TLS identity to renew"
        try:
            if args.get("format") != "der":
                raise ValueError("format must be der")
            cert = binascii.a2b_base64(args["cert"])
            key = binascii.a2b_base64(args["key"])
            identity.install(tls, cert, key)
        except (KeyError, ValueError, TypeError, OSError) as e:
            return False, None, "renew_cert: " + repr(e)
        print("app: new certificate installed,", args.get("serial"))
        return True, {"serial": args.get("serial")}, None

    # --- link ----------------------------------------------------------------------------

    async def link_task(self):
        up = self.uplink
        while up is not None:
            if up.try_connect():
                if not self._announced:
                    self._announced = True
                    self.events.add(
                        "boot", self.board.unix_time(), {"hw": self.board.name}, first=True
                    )
                self._flush_events()
                # how the last update ended is cleared once the fleet holds its event
                if self.boot.get("last") and not self.events.pending() and not self._last_reported:
                    import loader

                    self._last_reported = True
                    loader.clear_last(self.boot["root"])
                up.poll()
                self._flush_events()  # the acks that poll read
                while up.commands:
                    self.handle_command(up.commands.pop(0))
            await asyncio.sleep_ms(_POLL_MS)

    async def telemetry_task(self):
        up = self.uplink
        while up is not None:
            if up.connected():
                up.publish(protocol.TELE, self.telemetry())
                await asyncio.sleep(self.cfg["tele_interval_s"])
            else:
                await asyncio.sleep_ms(_POLL_MS)

    async def led_task(self):
        # Config error: three short blinks every two seconds. Otherwise lit while recording.
        board = self.board
        while True:
            if self.config_error:
                for _ in range(3):
                    board.led(True)
                    await asyncio.sleep_ms(100)
                    board.led(False)
                    await asyncio.sleep_ms(150)
                await asyncio.sleep_ms(1250)
            else:
                board.led(self.recorder.active())
                await asyncio.sleep_ms(250)

    async def run(self):
        if self.uplink is not None and self.cfg.get("wifi"):
            self.board.wifi_connect(self.cfg["wifi"])
        tasks = [
            asyncio.create_task(self.accel_task()),
            asyncio.create_task(self.recorder.run(self._reopen)),
            asyncio.create_task(self.led_task()),
        ]
        if self.uplink is not None and self.uploader is not None:
            tasks.append(asyncio.create_task(self.link_task()))
            tasks.append(asyncio.create_task(self.telemetry_task()))
            tasks.append(asyncio.create_task(self.uploader.run()))
        if self.boot.get("trial"):
            tasks.append(asyncio.create_task(self.trial_task()))
        await self._stop.wait()
        await asyncio.sleep_ms(200)  # let the command result go out
        for t in tasks:
            t.cancel()
        self.shutdown("reboot" if self.reboot else "shutdown")

    def shutdown(self, reason):
        # Close the open recording (it is kept) and say offline.
        self._close_recording()
        if self.uplink is not None:
            self.uplink.close(reason)
