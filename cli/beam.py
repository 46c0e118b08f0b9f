"""``crmsensor beam``: the beamforming toolkit."""

import click


@click.group("beam")
def group() -> None:
    """Design, simulate and evaluate two-mic beamformers; export the badge's kernel."""
