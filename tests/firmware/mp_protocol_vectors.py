# Runs under the MicroPython unix port (not CPython): feeds the shared vectors to the
# firmware's protocol module and prints one JSON line per vector for the pytest side to check.
import binascii
import json
import sys

from crms import protocol

DEVICE = "badge-0001"


def build(fn, args):
    if fn == "last_will":
        return protocol.topic(DEVICE, protocol.STATUS), protocol.LAST_WILL
    if fn == "status_online":
        return protocol.topic(DEVICE, protocol.STATUS), protocol.status_online(*args)
    if fn == "status_offline":
        return protocol.topic(DEVICE, protocol.STATUS), protocol.status_offline(*args)
    if fn == "telemetry":
        return protocol.topic(DEVICE, protocol.TELE), protocol.telemetry(args[0])
    if fn == "event":
        return protocol.topic(DEVICE, protocol.EVT), protocol.event(*args)
    if fn == "ota_event":
        seq, ts, release, version, state, pct, reason = args
        data = protocol.ota_progress(release, version, state, pct, reason)
        return protocol.topic(DEVICE, protocol.EVT), protocol.event(seq, "ota", ts, data)
    if fn == "manifest":
        return protocol.topic(DEVICE, "manifest", args[0]), protocol.manifest(*args[1:])
    if fn == "chunk":
        rec, index, offset, data_hex, last = args
        data = binascii.unhexlify(data_hex)
        return protocol.topic(DEVICE, "chunk", rec), protocol.chunk(index, offset, data, last)
    if fn == "cmd_result":
        return protocol.topic(DEVICE, protocol.CMD_RES), protocol.cmd_result(*args)
    raise ValueError("unknown builder " + fn)


def main(path):
    with open(path) as f:
        vectors = json.load(f)
    for v in vectors["device_to_fleet"]:
        topic, payload = build(v["build"][0], v["build"][1])
        out = {"name": v["name"], "topic": topic, "payload_hex": binascii.hexlify(payload).decode()}
        print(json.dumps(out))
    for v in vectors["fleet_to_device"]:
        payload = v["payload_text"].encode()
        if v["encode"][0] == "ack":
            rec, ranges, complete = protocol.parse_ack(payload)
            parsed = [rec, [[a, b] for a, b in ranges], complete]
            if protocol.parse_evt_ack(payload) is not None:
                raise ValueError("a recording's ack read as an event ack")
        elif v["encode"][0] == "evt_ack":
            parsed = [list(r) for r in protocol.parse_evt_ack(payload)]
        else:
            parsed = list(protocol.parse_command(payload))
        print(json.dumps({"name": v["name"], "parsed": parsed}))
    for v in vectors["invalid_downlink"]:
        parse = {"ack": protocol.parse_ack, "evt_ack": protocol.parse_evt_ack}.get(
            v["kind"], protocol.parse_command
        )
        if v["kind"] == "ota":

            def parse(p):
                return protocol.parse_ota(protocol.parse_command(p)[2])

        try:
            parse(v["payload_text"].encode())
            rejected = False
        except ValueError:
            rejected = True
        print(json.dumps({"name": v["name"], "rejected": rejected}))


main(sys.argv[1])
