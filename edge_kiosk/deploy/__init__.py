"""What a managed kiosk installs once beside its versions: launch.py (stdlib only, run by
systemd's unit) and the unit itself. The agent's updater uses launch.py's state and symlink
functions, so both sides write update.json and ``current`` the same way."""
