# The badge's events until the fleet holds them (docs/protocol.md, "events" and "acks").
#
# An event waits in the outbox while the link is down, goes out with QoS 1, and is then held
# until the fleet's event ack (sent once the row is committed) covers it: the broker's PUBACK
# alone does not mean the fleet has it (a subscriber that dies before acking can lose a message
# at the broker). A held event is sent again, with the same seq, when
# - the fleet acknowledged a later event of ours but not this one, GAP_GRACE_MS after it was
#   sent (a gap: acking what came after it asks for it again; once per event), or
# - no ack came for RESEND_MS (doubling per try, up to RESEND_MAX_MS: the fleet may be down).
# The fleet keeps one row per (device, boot, seq), so a copy costs airtime, never a row.
# Both lists are bounded; past their size the oldest goes (printed, counted in `dropped`).
import time

from crms import protocol

OUTBOX_MAX = 64
HELD_MAX = 32
GAP_GRACE_MS = 2000
RESEND_MS = 30000
RESEND_MAX_MS = 600000


class EventLog:
    def __init__(self, boot_id, clock=None):
        self.boot_id = boot_id
        self._clock = clock or time.ticks_ms
        self._seq = 0
        self._outbox = []  # not sent yet: (type, ts, data)
        # sent, not acked by the fleet: [seq, payload, sent_ms, wait_ms, tries]
        self._held = []
        self.dropped = 0
        self.resent = 0

    def add(self, type_, ts, data=None, first=False):
        # Queue one event (first: ahead of the others, e.g. the boot event).
        if len(self._outbox) >= OUTBOX_MAX:
            lost = self._outbox.pop(0)
            self.dropped += 1
            print("events: outbox full, dropped", lost[0])
        if first:
            self._outbox.insert(0, (type_, ts, data))
        else:
            self._outbox.append((type_, ts, data))

    def pending(self):
        # Events the fleet does not hold yet (queued or held).
        return len(self._outbox) + len(self._held)

    def send(self, publish):
        # Send what is due: held events to resend, then the outbox in order. publish(payload)
        # -> True once the broker has it (QoS 1). Stops at the first failure (link down).
        now = self._clock()
        for h in self._held:
            if time.ticks_diff(now, h[2]) >= h[3]:
                if not publish(h[1]):
                    return
                h[2] = now
                h[4] += 1
                h[3] = min(RESEND_MAX_MS, RESEND_MS << min(h[4], 5))
                self.resent += 1
        while self._outbox:
            type_, ts, data = self._outbox[0]
            payload = protocol.event(self._seq, type_, ts, data, self.boot_id)
            if not publish(payload):
                return
            self._outbox.pop(0)
            if len(self._held) >= HELD_MAX:
                lost = self._held.pop(0)
                self.dropped += 1
                print("events: no fleet ack for seq", lost[0], "- dropped")
            self._held.append([self._seq, payload, now, RESEND_MS, 0])
            self._seq += 1

    def on_ack(self, ranges):
        # The fleet holds these (boot, first, last) ranges: forget them; an event sent before
        # the newest acked one and still not acked is a gap, due again after GAP_GRACE_MS.
        top = -1
        for boot, first, last in ranges:
            if boot != self.boot_id:
                continue
            if last > top:
                top = last
            self._held = [h for h in self._held if not first <= h[0] <= last]
        for h in self._held:
            if h[0] < top and h[4] == 0:  # once: a gap that stays is left to the backoff
                h[3] = min(h[3], GAP_GRACE_MS)
