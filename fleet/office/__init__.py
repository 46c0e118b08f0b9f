"""The web office: the people who use the fleet, their access, and the pages they see."""
