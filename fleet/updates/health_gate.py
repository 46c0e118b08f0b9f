"""The health gate: are the devices that took a rollout's release less healthy than the devices
of the same target that have not yet? Each metric is compared with a one-sided test, and the
rollout pauses when one is worse with significance *and* by a margin that matters. Pure.

- reboots per device-hour: the exact conditional test of two Poisson rates (given the total
  count, the updated cohort's share is binomial with p = its share of the device-hours);
- offline share now: Fisher's exact test on the 2x2 table;
- battery drain per hour (%/h off charge): Welch's t-test of the devices' drains;
- error events per device-hour (a badge's upload refused, ...): as reboots;
- badges: hours recorded per device-hour (Welch's t-test, lower is worse: cohorts are a
  random split of the same stations, so they are worn alike);
- kiosks: camera errors per device-hour (as reboots) and frame rate (Welch's t-test, lower
  is worse).
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from scipy import stats

DEFAULTS: dict[str, float] = {
    "alpha": 0.01,  # significance of a regression
    "min_ratio": 1.5,  # and at least this much worse
    "min_hours": 1.0,  # device-hours the updated cohort needs before its rates are judged
    "min_events": 3,  # reboots in the updated cohort before a rate can regress
    "window_s": 6 * 3600.0,  # how far back the comparison looks
}


@dataclass
class Cohort:
    """What was observed of one group of devices over the comparison's window."""

    devices: int = 0
    hours: float = 0.0  # device-hours observed
    reboots: int = 0
    offline: int = 0
    drains: list[float] = field(default_factory=list)  # %/h per device, off charge
    errors: int = 0  # error events
    recorded: list[float] = field(default_factory=list)  # badges: hours recorded per hour
    camera_errors: int = 0  # kiosks: new camera errors over the window
    fps: list[float] = field(default_factory=list)  # kiosks: each device's mean frame rate

    def summary(self) -> dict[str, Any]:
        return {
            "devices": self.devices,
            "hours": round(self.hours, 2),
            "reboots": self.reboots,
            "reboots_per_h": round(self.reboots / self.hours, 4) if self.hours else None,
            "offline": self.offline,
            "offline_share": round(self.offline / self.devices, 3) if self.devices else None,
            "drain_pct_h": round(sum(self.drains) / len(self.drains), 3) if self.drains else None,
            "errors": self.errors,
            "recorded_h_per_h": round(sum(self.recorded) / len(self.recorded), 3)
            if self.recorded
            else None,
            "camera_errors": self.camera_errors,
            "fps": round(sum(self.fps) / len(self.fps), 2) if self.fps else None,
        }


@dataclass
class Finding:
    metric: str
    updated: float | None
    control: float | None
    ratio: float | None
    p: float | None
    regressed: bool
    note: str = ""


def _rates(metric: str, a: int, b: int, u: Cohort, c: Cohort, g: dict[str, float]) -> Finding:
    """Events per device-hour: ``a`` in the updated cohort, ``b`` in the control."""
    if u.hours < g["min_hours"] or c.hours <= 0:
        return Finding(metric, None, None, None, None, False, "too few device-hours yet")
    ru, rc = a / u.hours, b / c.hours
    ratio = ru / rc if rc else (None if ru else 1.0)  # None: worse than none at all
    if a + b == 0:
        return Finding(metric, ru, rc, ratio, 1.0, False)
    p = float(stats.binomtest(a, a + b, u.hours / (u.hours + c.hours), "greater").pvalue)
    worse = a >= g["min_events"] and p < g["alpha"] and (ratio is None or ratio >= g["min_ratio"])
    return Finding(metric, ru, rc, ratio, p, worse)


def _offline(u: Cohort, c: Cohort, g: dict[str, float]) -> Finding:
    if not u.devices or not c.devices:
        return Finding("offline share", None, None, None, None, False, "a cohort is empty")
    su, sc = u.offline / u.devices, c.offline / c.devices
    table = [[u.offline, u.devices - u.offline], [c.offline, c.devices - c.offline]]
    p = float(stats.fisher_exact(table, alternative="greater").pvalue)
    ratio = su / sc if sc else (None if su else 1.0)
    worse = p < g["alpha"] and (ratio is None or ratio >= g["min_ratio"])
    return Finding("offline share", su, sc, ratio, p, worse)


def _drain(u: Cohort, c: Cohort, g: dict[str, float]) -> Finding:
    if len(u.drains) < 3 or len(c.drains) < 3:
        return Finding("battery %/h", None, None, None, None, False, "fewer than 3 devices each")
    mu, mc = sum(u.drains) / len(u.drains), sum(c.drains) / len(c.drains)
    p = float(stats.ttest_ind(u.drains, c.drains, equal_var=False, alternative="greater").pvalue)
    ratio = mu / mc if mc > 0 else None
    worse = p < g["alpha"] and (ratio is None or ratio >= g["min_ratio"]) and mu > mc
    return Finding("battery %/h", mu, mc, ratio, p, worse)


def _lower(metric: str, a: list[float], b: list[float], g: dict[str, float]) -> Finding:
    """A per-device measure where less is worse (frame rate, hours recorded)."""
    if len(a) < 3 or len(b) < 3:
        return Finding(metric, None, None, None, None, False, "fewer than 3 devices each")
    mu, mc = sum(a) / len(a), sum(b) / len(b)
    if mu == mc:  # no difference (also: every device the same, where the test has no answer)
        return Finding(metric, mu, mc, 1.0, 1.0, False)
    p = float(stats.ttest_ind(a, b, equal_var=False, alternative="less").pvalue)
    ratio = mc / mu if mu > 0 else None  # how many times less
    worse = p < g["alpha"] and (ratio is None or ratio >= g["min_ratio"])
    return Finding(metric, mu, mc, ratio, p, worse)


def compare(
    updated: Cohort, control: Cohort, settings: dict[str, float] | None = None
) -> dict[str, Any]:
    """The comparison as the rollout stores and shows it: both cohorts, each metric's finding,
    and ``regressed``: the metrics that are worse."""
    g = {**DEFAULTS, **(settings or {})}
    u, c = updated, control
    findings = [
        _rates("reboots/h", u.reboots, c.reboots, u, c, g),
        _offline(u, c, g),
        _drain(u, c, g),
        _rates("error events/h", u.errors, c.errors, u, c, g),
        _lower("recorded h/h", u.recorded, c.recorded, g),
        _rates("camera errors/h", u.camera_errors, c.camera_errors, u, c, g),
        _lower("frame rate", u.fps, c.fps, g),
    ]
    return {
        "updated": updated.summary(),
        "control": control.summary(),
        "findings": [asdict(f) for f in findings],
        "regressed": [f.metric for f in findings if f.regressed],
        "settings": g,
    }
