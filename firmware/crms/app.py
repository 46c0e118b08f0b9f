# The badge application: keeps the uplink up, reports telemetry, answers commands.
# Recording (worn gate, beamformer, VAD, encoder, upload) plugs in here as more tasks.
import asyncio
import binascii
import os

from crms import VERSION, identity, protocol

_POLL_MS = 100


class BadgeApp:
    def __init__(self, board, cfg):
        self.board = board
        self.cfg = cfg
        self.boot_id = int.from_bytes(os.urandom(4), "big")
        self._tele_seq = 0
        self._evt_seq = 0
        online = protocol.status_online(
            cfg["kind"], VERSION, cfg["hw"], self.boot_id, cfg["keepalive_s"]
        )
        from crms.uplink import Uplink

        self.uplink = Uplink(cfg["device_id"], cfg["broker"], cfg["keepalive_s"], online)
        self._announced = False
        self._tele_task = None

    def telemetry(self):
        b = self.board
        fields = {
            "seq": self._tele_seq,
            "uptime_s": b.uptime_ms() // 1000,
            "ts": b.unix_time(),
            "fw": VERSION,
            "batt_mv": b.battery_mv(),
            "batt_pct": b.battery_pct(),
            "charging": b.charging(),
            "storage_free_kb": b.storage_free_kb(),
            "rssi_dbm": b.rssi_dbm(),
            "heap_free": b.heap_free(),
            "worn": b.worn(),
            "backlog": 0,
        }
        self._tele_seq += 1
        return protocol.telemetry(fields)

    def event(self, type_, data=None):
        payload = protocol.event(self._evt_seq, type_, self.board.unix_time(), data)
        if self.uplink.publish(protocol.EVT, payload, qos=1):
            self._evt_seq += 1
            return True
        return False

    def handle_command(self, payload):
        try:
            cmd_id, op, _args = protocol.parse_command(payload)
        except ValueError as e:
            print("app: bad command:", e)
            return
        renewed = False
        if op == "ping":
            res = protocol.cmd_result(cmd_id, True, {"uptime_s": self.board.uptime_ms() // 1000})
        elif op == "renew_cert":
            res, renewed = self._renew(cmd_id, _args)
        else:
            res = protocol.cmd_result(cmd_id, False, None, "unsupported op: " + op)
        self.uplink.publish(protocol.CMD_RES, res, qos=1)
        if renewed:
            self.uplink.reconnect()  # the next connection presents the new certificate

    def _renew(self, cmd_id, args):
        tls = self.cfg["broker"].get("tls")
        if tls is None:
            return protocol.cmd_result(cmd_id, False, None, "no TLS identity to renew"), False
        try:
            if args.get("format") != "der":
                raise ValueError("format must be der")
            cert = binascii.a2b_base64(args["cert"])
            key = binascii.a2b_base64(args["key"])
            identity.install(tls, cert, key)
        except (KeyError, ValueError, TypeError, OSError) as e:
            return protocol.cmd_result(cmd_id, False, None, "renew_cert: " + repr(e)), False
        print("app: new certificate installed,", args.get("serial"))
        return protocol.cmd_result(cmd_id, True, {"serial": args.get("serial")}), True

    async def link_task(self):
        while True:
            if self.uplink.try_connect():
                if not self._announced:
                    self._announced = self.event("boot", {"hw": self.board.name})
                self.uplink.poll()
                while self.uplink.commands:
                    self.handle_command(self.uplink.commands.pop(0))
            await asyncio.sleep_ms(_POLL_MS)

    async def telemetry_task(self):
        while True:
            if self.uplink.connected():
                self.uplink.publish(protocol.TELE, self.telemetry())
                await asyncio.sleep(self.cfg["tele_interval_s"])
            else:
                await asyncio.sleep_ms(_POLL_MS)

    async def run(self):
        self._tele_task = asyncio.create_task(self.telemetry_task())
        await self.link_task()
