"""Design, simulate and evaluate two-mic beamformers; export the badge's fixed-point kernel.

The toolkit itself arrives with the beamforming issue; this package reserves its place so the
distribution, type checks and the `crmsensor beam` command group are wired from the start.
"""
