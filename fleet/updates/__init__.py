"""Updates: signed releases (store, upload, yank, download) and their delivery to devices."""
