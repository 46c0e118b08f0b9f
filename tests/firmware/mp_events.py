# Run under MicroPython: the badge's event log (crms/events.py) against a link that can fail
# and a fleet that acks, loses one event, or is away. Prints "ok <case>" per case; raises on
# failure. The clock is the script's, so the resend timers run without waiting.
import json

from crms import events
from crms.events import EventLog

BOOT = 0x12345678
now = [0]


def clock():
    return now[0]


class Link:
    # What the broker took (QoS 1 acknowledged); up=False: every publish fails.
    def __init__(self):
        self.up = True
        self.sent = []

    def publish(self, payload):
        if not self.up:
            return False
        self.sent.append(json.loads(payload))
        return True

    def seqs(self):
        return [m["seq"] for m in self.sent]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# held until the fleet's ack, not the broker's
log, link = EventLog(BOOT, clock), Link()
for i in range(3):
    log.add("worn" if i % 2 == 0 else "unworn", 1700000000 + i, {"i": i})
log.send(link.publish)
check(link.seqs() == [0, 1, 2], "sent in order with seqs 0-2")
check(link.sent[0]["boot"] == BOOT and link.sent[2]["data"] == {"i": 2}, "payloads")
check(log.pending() == 3, "held after the broker took them")
log.on_ack([(BOOT, 0, 1), (BOOT + 1, 2, 2)])  # another boot's ack says nothing of ours
check(log.pending() == 1, "acked ones forgotten, another boot's ignored")
log.on_ack([(BOOT, 2, 2)])
check(log.pending() == 0, "all acked")
now[0] += events.RESEND_MS * 10
log.send(link.publish)
check(len(link.sent) == 3, "nothing resent once acked")
print("ok held_until_fleet_ack")

# a gap: the fleet acked 1 and 2 but never 0; 0 goes again once its grace is over
log, link = EventLog(BOOT, clock), Link()
for _ in range(3):
    log.add("worn", None)
log.send(link.publish)
log.on_ack([(BOOT, 1, 2)])
log.send(link.publish)
check(link.seqs() == [0, 1, 2], "not at once: the first may still be on its way")
now[0] += events.GAP_GRACE_MS
log.send(link.publish)
check(link.seqs() == [0, 1, 2, 0], "the gap sent again, same seq")
check(link.sent[3]["type"] == "worn" and log.resent == 1, "the same event")
log.on_ack([(BOOT, 0, 0)])
check(log.pending() == 0, "gap filled")
print("ok gap_resent")

# the fleet away: resent after RESEND_MS, then with a doubling wait; a link down stops the
# round and keeps everything
log, link = EventLog(BOOT, clock), Link()
log.add("rec_start", None, {"rec": "r-1"})
log.send(link.publish)
now[0] += events.RESEND_MS - 1
log.send(link.publish)
check(len(link.sent) == 1, "not before RESEND_MS")
now[0] += 1
log.send(link.publish)
check(link.seqs() == [0, 0], "resent after RESEND_MS")
now[0] += events.RESEND_MS
log.send(link.publish)
check(len(link.sent) == 2, "the next wait is longer")
now[0] += events.RESEND_MS
link.up = False
log.add("rec_stop", None, {"rec": "r-1"})
log.send(link.publish)
check(len(link.sent) == 2 and log.pending() == 2, "link down: all kept")
link.up = True
log.send(link.publish)
check(link.seqs() == [0, 0, 0, 1], "back: the due resend, then the new one")
print("ok fleet_away")

# bounded: past HELD_MAX unacked events the oldest goes, counted
log, link = EventLog(BOOT, clock), Link()
for _ in range(events.HELD_MAX + 3):
    log.add("worn", None)
log.send(link.publish)
check(log.pending() == events.HELD_MAX and log.dropped == 3, "held list bounded")
log.on_ack([(BOOT, 0, events.HELD_MAX + 2)])
check(log.pending() == 0, "acked")
for _ in range(events.OUTBOX_MAX + 2):
    log.add("worn", None)
check(log.pending() == events.OUTBOX_MAX and log.dropped == 5, "outbox bounded")
log.add("boot", None, {"hw": "x"}, first=True)
link.sent = []
log.send(link.publish)
check(link.sent[0]["type"] == "boot", "a first event goes ahead of the queue")
print("ok bounded")
