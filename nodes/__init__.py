"""Node types: the registry (`registry.py`), core nodes (`core/`) and HighLevel (`ghl/`)."""
