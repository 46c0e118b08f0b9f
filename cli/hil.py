"""``crmsensor hil``: hardware-in-the-loop runs."""

import click


@click.group("hil")
def group() -> None:
    """Run hardware-in-the-loop tests on a real badge or the emulated rig."""
