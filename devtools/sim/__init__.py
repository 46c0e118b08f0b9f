"""Simulated devices and the whole-system demo."""
