"""Mosquitto: render the project's configuration and run a broker process with it."""

from crmsensor.broker.config import BrokerConfig, render_config
from crmsensor.broker.process import MosquittoProcess, free_port

__all__ = ["BrokerConfig", "MosquittoProcess", "free_port", "render_config"]
