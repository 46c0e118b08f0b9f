"""Two-microphone beamforming toolkit: scenes (``scene``), signals (``signals``), beamformers
(``designs``), metrics (``metrics``), evaluation (``evaluate``) and export to the badge."""
