"""Every Redis key Flowlane writes is namespaced and well formed."""

import inspect

from server import keys


def test_every_key_starts_with_flowlane_and_has_no_empty_segment():
    made = [keys.SOCKETIO_CHANNEL, keys.RUNS_QUEUE]
    for _name, function in inspect.getmembers(keys, inspect.isfunction):
        arguments = ["x1"] * len(inspect.signature(function).parameters)
        made.append(function(*arguments))
    for key in made:
        assert key.startswith("flowlane"), key
        assert "" not in key.split(":"), key
