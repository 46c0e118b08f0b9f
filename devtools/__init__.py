"""Bench and development tooling above the fleet and the beamforming toolkit: the firmware
build and flashing (``fwtools``), the broker's configuration and process (``broker``), simulated
devices and the one-machine demo (``sim``), child processes (``procs``)."""
