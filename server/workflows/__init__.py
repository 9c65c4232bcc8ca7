"""Workflows: documents and their immutable versions (`store.py`), and what activation
registers so triggers can start them (`activation.py`)."""
