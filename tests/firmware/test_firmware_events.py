"""The badge holds each event until the fleet's event ack covers it, under the MicroPython
unix port (firmware/crms/events.py): a gap the fleet's acks show is sent again with its seq,
an event the fleet never acks is resent with a growing wait, and both queues stay bounded."""

from pathlib import Path

HERE = Path(__file__).parent


def test_events_are_held_until_the_fleet_acks_them(micropython) -> None:  # type: ignore[no-untyped-def]
    proc = micropython(HERE / "mp_events.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for case in ("held_until_fleet_ack", "gap_resent", "fleet_away", "bounded"):
        assert f"ok {case}" in proc.stdout, proc.stdout + proc.stderr
