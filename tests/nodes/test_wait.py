"""Wait: a duration or a moment; the run parks (WaitUntil) unless the moment has passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from nodes import registry
from nodes.registry import WaitUntil
from server.engine.params import NodeParams
from tests.helpers import doc, node
from tests.nodes.support import fail_node, run_valid


def wait_doc(params: dict, timezone: str = "UTC") -> dict:
    return doc(node("t", "core.trigger.manual"), node("w", "core.wait", params=params),
               node("after", "core.noop"), edges=[("t", "w"), ("w", "after")],
               settings={"timezone": timezone})


def call_wait(params: dict, items: list, timezone: str = "UTC") -> dict:
    spec = registry.get("core.wait")
    ctx = SimpleNamespace(timezone=timezone)
    return spec.run(ctx, items, NodeParams(params, {"item": {}, "items": items}))


@pytest.mark.parametrize(("amount", "unit", "seconds"), [
    (90, "seconds", 90), (5, "minutes", 300), (2, "hours", 7200), (1.5, "days", 129600),
])
def test_a_duration_parks_the_run_until_now_plus_the_duration(amount, unit, seconds):
    before = datetime.now(UTC)
    outcome, recorder = run_valid(wait_doc({"mode": "duration", "amount": amount,
                                            "unit": unit}), [{"id": 1}])
    after = datetime.now(UTC)
    assert outcome.status == "waiting"
    delta = timedelta(seconds=seconds)
    assert before + delta <= outcome.wait_until <= after + delta
    assert outcome.wait_until.tzinfo is not None
    assert [(s.node.id, s.status) for s in recorder.steps] == [("t", "succeeded"),
                                                               ("w", "waiting")]
    assert "after" not in outcome.results


def test_wait_raises_wait_until_with_the_items():
    items = [{"id": 1}, {"id": 2}]
    with pytest.raises(WaitUntil) as parked:
        call_wait({"mode": "duration", "amount": 1, "unit": "minutes"}, items)
    assert parked.value.items == items
    assert parked.value.when.utcoffset() == timedelta(0)


def test_until_a_future_moment():
    moment = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    with pytest.raises(WaitUntil) as parked:
        call_wait({"mode": "until", "until": moment.isoformat()}, [{}])
    assert parked.value.when == moment


def test_until_an_expression_per_first_item():
    moment = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    outcome, _ = run_valid(wait_doc({"mode": "until", "until": "{{ item.follow_up }}"}),
                           [{"follow_up": moment.isoformat()}, {"follow_up": "2000-01-01"}])
    assert outcome.status == "waiting"
    assert outcome.wait_until == moment


def test_until_without_a_zone_is_read_in_the_workflow_timezone():
    with pytest.raises(WaitUntil) as parked:
        call_wait({"mode": "until", "until": "2999-07-01 09:00"}, [{}], "America/New_York")
    assert parked.value.when == datetime(2999, 7, 1, 13, 0, tzinfo=UTC)


def test_a_moment_in_the_past_passes_items_through():
    outcome, _ = run_valid(wait_doc({"mode": "until", "until": "2020-01-01T00:00:00Z"}),
                           [{"id": 1}])
    assert outcome.status == "succeeded"
    assert outcome.results["after"]["main"] == [{"id": 1}]


def test_a_zero_duration_passes_items_through():
    outcome, _ = run_valid(wait_doc({"mode": "duration", "amount": 0, "unit": "hours"}),
                           [{"id": 1}])
    assert outcome.status == "succeeded"
    assert outcome.results["w"]["main"] == [{"id": 1}]


@pytest.mark.parametrize(("params", "fragment"), [
    ({"mode": "until", "until": "someday"}, "Wait until: 'someday' is not a date"),
    ({"mode": "duration", "amount": "{{ 'soon' }}"}, "Wait: the amount must be a number."),
])
def test_bad_moments_fail_clearly(params, fragment):
    error = fail_node("core.wait", params, [{}])
    assert error["message"].startswith(fragment), error["message"]
