"""Customer surveys on the kiosk's screen: ratings stored once, NPS, CSI and staff ratings
reported, a low rating sent to the station's manager (issue 21)."""
