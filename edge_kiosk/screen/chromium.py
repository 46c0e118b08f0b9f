"""How Chromium shows the screen on a kiosk: full screen, no browser UI, no dialogs, video that
starts without a tap, no pinch or swipe-back, nothing fetched from the internet.

edge_kiosk/deploy/crmsensor-kiosk-screen.service starts Chromium with exactly these flags
(tests/test_kiosk_screen_deploy.py holds them equal)."""

SCREEN_URL = "http://127.0.0.1:8088/"
KIOSK_FLAGS = (
    "--kiosk",  # full screen, no tabs, no address bar, no exit by F11
    "--noerrdialogs",
    "--disable-infobars",
    "--disable-session-crashed-bubble",  # after a power cut: no "restore pages?" prompt
    "--no-first-run",
    "--password-store=basic",  # no keyring prompt
    "--autoplay-policy=no-user-gesture-required",  # ads play without a tap
    "--overscroll-history-navigation=0",  # a swipe does not go "back"
    "--disable-pinch",  # nor does a pinch zoom the survey
    "--disable-features=Translate,TouchpadOverscrollHistoryNavigation",
    "--disable-background-networking",  # the screen talks to the agent on loopback only
    "--disable-component-update",
    "--disable-sync",
    "--check-for-update-interval=31536000",
)


def command(chromium: str = "/usr/bin/chromium", url: str = SCREEN_URL) -> list[str]:
    """The command line that shows the screen."""
    return [chromium, *KIOSK_FLAGS, url]
