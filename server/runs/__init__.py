"""A run's life: started by a trigger (`start.py`), executed by a worker (`worker.py`,
`recorder.py`), watched by the sweeper (`sweeper.py`), read back (`queries.py`), cancelled
or retried (`actions.py`)."""
