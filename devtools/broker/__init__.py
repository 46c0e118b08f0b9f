"""Mosquitto: render the project's configuration and run a broker process with it."""

from devtools.broker.config import BrokerConfig, render_config
from devtools.broker.process import MosquittoProcess, free_port

__all__ = ["BrokerConfig", "MosquittoProcess", "free_port", "render_config"]
