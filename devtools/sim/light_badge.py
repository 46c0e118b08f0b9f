"""Light simulated badges: many in one process (aiomqtt), speaking the real contract for
what a rollout sees (status with its version and boot id, ``boot`` events, telemetry, command
answers, ``ota`` progress), without the firmware. They download the bundle they are told to
(HTTP, checked against the manifest's size and SHA-256), reboot into it, and then behave as
their scenario says that version behaves: healthy or failing its health check (rolled back),
and rebooting every so often. Real-firmware badges (the unix port) mix in beside them.
"""

import asyncio
import hashlib
import json
import logging
import random
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import aiomqtt

from crmsensor.errors import ProtocolError
from crmsensor.protocol import Channel, topic
from crmsensor.protocol.device import (
    decode_command,
    decode_ota,
    encode_command_result,
    encode_event,
    encode_status_offline,
    encode_status_online,
    encode_telemetry,
    ota_progress,
)
from crmsensor.protocol.messages import LAST_WILL_PAYLOAD

log = logging.getLogger("devtools.sim.light_badge")


@dataclass(frozen=True)
class Behaviour:
    """How a version behaves on a light badge."""

    healthy: bool = True  # passes its health check after an update
    reboot_every_s: float = 0.0  # reboots by itself this often (0: never)


@dataclass
class LightBadge:
    device_id: str
    port: int
    fw: str = "0.1.0"
    hw: str = "badge-r1"
    tele_s: float = 5.0
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    host: str = "127.0.0.1"
    boots: int = 0
    reboots: list[float] = field(default_factory=list)  # loop times of self-reboots
    _evt_seq: int = 0
    _tele_seq: int = 0
    _boot_id: int = 0
    _pending: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def behaviour(self) -> Behaviour:
        return self.behaviours.get(self.fw, Behaviour())

    async def run(self, stop: asyncio.Event) -> None:
        """Boot, connect, serve; boot again on each reboot; until ``stop``."""
        while not stop.is_set():
            try:
                await self._boot(stop)
            except aiomqtt.MqttError as exc:
                log.debug("%s: link lost (%s); booting again", self.device_id, exc)
                await asyncio.sleep(0.5)

    async def _boot(self, stop: asyncio.Event) -> None:
        self.boots += 1
        self._boot_id = random.getrandbits(32)
        self._evt_seq = 0
        will = aiomqtt.Will(topic(self.device_id, Channel.STATUS), LAST_WILL_PAYLOAD, 1, True)
        async with aiomqtt.Client(self.host, self.port, identifier=self.device_id, will=will,
                                  keepalive=30) as client:  # fmt: skip
            online = encode_status_online("badge", self.fw, self.hw, self._boot_id, 30)
            await client.publish(topic(self.device_id, Channel.STATUS), online, 1, retain=True)
            await client.subscribe(topic(self.device_id, Channel.CMD), qos=1)
            await self._event(client, "boot", {"hw": self.hw})
            for type_, data in self._pending:  # what the last boot left to say
                await self._event(client, type_, data)
            self._pending.clear()
            reboot = asyncio.Event()
            tasks = [
                asyncio.create_task(self._telemetry(client)),
                asyncio.create_task(self._commands(client, reboot)),
                asyncio.create_task(self._self_reboot(reboot)),
            ]
            stopper = asyncio.create_task(stop.wait())
            rebooter = asyncio.create_task(reboot.wait())
            await asyncio.wait([stopper, rebooter], return_when=asyncio.FIRST_COMPLETED)
            for t in (*tasks, stopper, rebooter):
                t.cancel()
            reason = "shutdown" if stop.is_set() else "reboot"
            await client.publish(topic(self.device_id, Channel.STATUS),
                                 encode_status_offline(reason), 1, retain=True)  # fmt: skip

    async def _event(self, client: aiomqtt.Client, type_: str, data: dict[str, Any]) -> None:
        payload = encode_event(self._evt_seq, type_, None, data, self._boot_id)
        self._evt_seq += 1
        await client.publish(topic(self.device_id, Channel.EVT), payload, 1)

    async def _telemetry(self, client: aiomqtt.Client) -> None:
        while True:
            fields = {"seq": self._tele_seq, "boot": self._boot_id, "uptime_s": self._tele_seq,
                      "fw": self.fw,
                      "batt_pct": 90, "charging": True, "worn": False, "backlog": 0}  # fmt: skip
            self._tele_seq += 1
            try:
                await client.publish(topic(self.device_id, Channel.TELE), encode_telemetry(fields))
            except aiomqtt.MqttError:
                return  # the link is going down (a reboot): the next boot reports again
            await asyncio.sleep(self.tele_s)

    async def _self_reboot(self, reboot: asyncio.Event) -> None:
        period = self.behaviour().reboot_every_s
        if period <= 0:
            return
        await asyncio.sleep(period * random.uniform(0.5, 1.5))
        self.reboots.append(asyncio.get_running_loop().time())
        reboot.set()

    async def _commands(self, client: aiomqtt.Client, reboot: asyncio.Event) -> None:
        async for msg in client.messages:
            try:
                cmd_id, op, args = decode_command(bytes(msg.payload))
            except ProtocolError:
                continue
            res = topic(self.device_id, Channel.CMD_RES)
            if op == "ota":
                await self._ota(client, cmd_id, args, reboot)
            elif op == "ping":
                await client.publish(res, encode_command_result(cmd_id, True, {"uptime_s": 1}), 1)
            else:
                answer = encode_command_result(cmd_id, False, None, f"unsupported op: {op}")
                await client.publish(res, answer, 1)

    async def _ota(
        self, client: aiomqtt.Client, cmd_id: str, args: dict[str, Any], reboot: asyncio.Event
    ) -> None:
        res = topic(self.device_id, Channel.CMD_RES)
        try:
            decode_ota(args)
            manifest = json.loads(args["manifest"])
        except (ProtocolError, ValueError) as exc:
            await client.publish(res, encode_command_result(cmd_id, False, None, str(exc)), 1)
            return
        release, version = args["release"], args["version"]
        await client.publish(res, encode_command_result(cmd_id, True, {"release": release}), 1)

        async def progress(state: str, pct: int | None = None, reason: str | None = None) -> None:
            await self._event(client, "ota", ota_progress(release, version, state, pct, reason))

        try:
            async with aiohttp.ClientSession() as http, http.get(args["url"]) as r:
                data = await r.read() if r.status == 200 else b""
        except aiohttp.ClientError as exc:
            await progress("error", reason=f"download failed: {exc}")
            return
        await progress("downloading", 100)
        if len(data) != manifest["size"] or hashlib.sha256(data).hexdigest() != manifest["sha256"]:
            await progress("error", reason="bundle SHA-256 differs from the release's")
            return
        await progress("verifying")
        await progress("applying")
        await progress("rebooting")
        previous, self.fw = self.fw, version
        if self.behaviour().healthy:
            self._pending.append(("ota", ota_progress(release, version, "healthy")))
        else:  # tried once, failed its health check: the next boot is the old version
            self.fw = previous
            self._pending.append(("ota", ota_progress(
                release, version, "rolled_back", None, "health: simulated failure")))  # fmt: skip
        reboot.set()


async def run_badges(badges: list[LightBadge], stop: asyncio.Event) -> None:
    """Run ``badges`` until ``stop`` is set."""
    await asyncio.gather(*(b.run(stop) for b in badges))


def fleet_of(n: int, port: int, prefix: str = "lb", **kw: Any) -> list[LightBadge]:
    """``n`` light badges named ``<prefix>-0000`` ...; ``kw`` as :class:`LightBadge` takes."""
    return [LightBadge(f"{prefix}-{i:04d}", port, **kw) for i in range(n)]
