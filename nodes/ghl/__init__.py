"""HighLevel (GHL): connections, the API client, every operation as a node, triggers."""
