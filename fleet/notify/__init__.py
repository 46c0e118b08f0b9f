"""Notifications through one small channel interface (webhook, email, SMS gateway): who is
subscribed to what, the outbox of deliveries, and the sender with retries and back-off."""
