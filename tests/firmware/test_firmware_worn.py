"""The badge's worn gate (run under the MicroPython unix port) on labelled accelerometer
traces: real motion from sktime's BasicMotions on an upright badge, a modelled still wearer,
and desk, face-down, drawer, stand and bumped-desk traces with the LIS3DH noise model."""

import json
from pathlib import Path

import pytest

from devtools.sim import accel

HERE = Path(__file__).parent
SEEDS = range(6)


def _gate(micropython, files: list[Path]) -> dict[str, list[tuple[float, bool]]]:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_worn.py", str(accel.RATE_HZ), *map(str, files), timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        r = json.loads(line)
        out[r["file"]] = [(t, w) for t, w in r["changes"]]
    return out


def _worn_time(changes: list[tuple[float, bool]], a: float, b: float) -> float:
    total, on_since = 0.0, None
    for t, w in changes:
        if w and on_since is None:
            on_since = t
        elif not w and on_since is not None:
            total += max(0.0, min(t, b) - max(on_since, a))
            on_since = None
    if on_since is not None:
        total += max(0.0, b - max(on_since, a))
    return total


@pytest.fixture(scope="module")
def traces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, accel.Trace]:
    folder = tmp_path_factory.mktemp("traces")
    out = {}
    for seed in SEEDS:
        for kind in accel.WORN_KINDS:
            after = "face_down" if seed % 2 else "stand_upright"
            t = accel.trace([("desk_up", 6), (kind, 25), (after, 20)], seed=seed)
            out[str(t.write_csv(folder / f"{kind}-{seed}.csv"))] = t
        for kind in accel.UNWORN_KINDS:
            t = accel.trace([(kind, 120)], seed=seed)
            out[str(t.write_csv(folder / f"{kind}-{seed}.csv"))] = t
    return out


def test_worn_gate_on_labelled_traces(micropython, traces: dict[str, accel.Trace]) -> None:  # type: ignore[no-untyped-def]
    results = _gate(micropython, [Path(p) for p in traces])
    assert set(results) == set(traces)
    for path, trace in traces.items():
        changes = results[path]
        name = Path(path).stem
        worn = [(a, b) for a, b, w in trace.segments() if w]
        if not worn:
            assert changes == [], (name, changes)  # never a recording on a desk or in a drawer
            continue
        ((a, b),) = worn
        assert changes and changes[0][1] is True and changes[-1][1] is False, (name, changes)
        assert changes[-1][0] - b <= 10.0, (name, changes)  # stops within 10 s of taking off
        assert all(t >= a for t, _ in changes), (name, changes)  # nothing before it is worn
        if name.startswith("bm_running"):
            # A wrist's running swings more than a chest's: it may drop out briefly.
            assert _worn_time(changes, a, b) >= 0.7 * (b - a), (name, changes)
        else:
            assert changes[0][0] - a <= 2.0, (name, changes)  # starts within 2 s
            assert len(changes) == 2, (name, changes)  # and holds while worn
