"""Host-side tools for the MicroPython firmware: dependencies, checks, running it."""
