"""A per-device budget for telemetry: a token bucket per device (pure, no IO).

The contract's fastest telemetry period is 1 s (``tele_interval_s`` >= 1), so a device
sending much faster is broken or hostile. Its telemetry beyond the budget is refused
(``rate_limited``, counted and logged per device by ingest), which keeps one flooding
certificate from filling the database or starving the others' batches. Telemetry is QoS 0
and periodic: each report supersedes the last, and the contract promises no report is kept.

What the contract promises to keep (events, ratings, recordings, command answers, status) is
never refused here: it is QoS 1 and acknowledged, and dropping it would lose data. A flood of
it is stored once per (device, boot, seq) and shows in the ``over_rate`` count, so an
operator sees which device misbehaves.
"""

from dataclasses import dataclass

_SWEEP_S = 60.0  # how often buckets idle long enough to be full again are dropped


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimit:
    """``per_s`` messages a second per device on average, with bursts of ``burst``.

    ``per_s`` = 0 turns the limit off (every message is allowed).
    """

    def __init__(self, per_s: float, burst: int) -> None:
        if per_s < 0 or burst < 1:
            raise ValueError(f"a rate limit needs per_s >= 0 and burst >= 1, got {per_s}, {burst}")
        self.per_s, self.burst = per_s, burst
        self._buckets: dict[str, _Bucket] = {}
        self._swept = 0.0
        self._full_after = burst / per_s if per_s else 0.0  # an idle bucket is full again

    def allow(self, key: str, now: float) -> bool:
        """Take one token from ``key``'s bucket at monotonic time ``now``; False when empty."""
        if self.per_s == 0:
            return True
        b = self._buckets.get(key)
        if b is None:
            b = self._buckets[key] = _Bucket(float(self.burst), now)
            self._forget_idle(now)
        else:
            b.tokens = min(float(self.burst), b.tokens + (now - b.at) * self.per_s)
            b.at = now
        if b.tokens < 1.0:
            return False
        b.tokens -= 1.0
        return True

    def _forget_idle(self, now: float) -> None:
        """Drop buckets idle long enough to be full (bounded memory with many devices)."""
        if now - self._swept < _SWEEP_S:
            return
        self._swept = now
        idle = [k for k, b in self._buckets.items() if now - b.at >= self._full_after]
        for k in idle:
            del self._buckets[k]
