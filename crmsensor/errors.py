"""One error base class for everything expected.

The CLI catches :class:`CrmsError` once, prints its message and exits non-zero; anything
else is a bug and keeps its traceback. Two kinds live under it:

- a user's (:class:`UserError`): a config, an argument, an input file or a missing tool:
  :class:`ConfigError`, :class:`ToolMissingError`, and each package's input errors
  (``beamforming.scene.SceneError``, ``beamforming.signals.SignalError``,
  ``beamforming.wavio.WavError``, ``crmsensor.protocol.wavfile.WavError``,
  ``edge_kiosk.evaluation.LabelError``, ``edge_kiosk.sources.CameraError``);
- a device's (:class:`ProtocolError`): a message that breaks the MQTT contract, which the
  services count and reject without stopping.
"""


class CrmsError(Exception):
    """Base class of the project's expected errors (bad config, bad input, missing tool)."""


class UserError(CrmsError):
    """Something a user gave or has to fix: a config, an argument, an input file, a tool."""


class ConfigError(UserError):
    """A configuration file or argument is invalid; the message names the key and the problem."""


class ToolMissingError(UserError):
    """An external program (mosquitto, micropython, mpy-cross) is not installed."""


class ProtocolError(CrmsError):
    """A message does not follow the MQTT contract.

    ``reason`` is a short stable token (``bad_json``, ``oversized``...) used to count
    rejections; the message says what exactly was wrong.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.detail = message


class Conflict(ConfigError):
    """What was asked for clashes with what exists (a name that is taken)."""


class Missing(ConfigError):
    """Something the request refers to does not exist."""
