"""HighLevel triggers: one instant trigger per documented webhook event (`instant.py`), the
public endpoint's work (`inbox.py`: signatures, storing, dedupe, fan-out), activation
(`activation.py`) and the "Opportunity changed" polling trigger (`polling.py`)."""
