"""The REST API: one blueprint per resource; `base.py` holds what they share."""
