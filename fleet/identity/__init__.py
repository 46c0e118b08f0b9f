"""Device and service identity: the fleet CA, provisioning at the bench, certificate renewal
over MQTT, and what the broker needs (TLS files, the ACL from the registry)."""
