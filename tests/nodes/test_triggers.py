"""What each trigger hands to the first step, and the schedule trigger's cron lines."""

from __future__ import annotations

import pytest

from nodes.core.trigger_schedule import check, cron_expression
from server.engine.validate import validate
from tests.helpers import doc, node
from tests.nodes.support import run_valid


def trigger_output(node_type: str, payload, params: dict | None = None) -> list:
    document = doc(node("t", node_type, params=params or {}), node("next", "core.noop"),
                   edges=[("t", "next")])
    outcome, _ = run_valid(document, payload)
    assert outcome.status == "succeeded", outcome.error
    return outcome.results["t"]["main"]


@pytest.mark.parametrize(("payload", "expected"), [
    ({"a": 1}, [{"a": 1}]),
    ([{"a": 1}, {"a": 2}], [{"a": 1}, {"a": 2}]),
    ([1, "x"], [{"value": 1}, {"value": "x"}]),
    ("hello", [{"value": "hello"}]),
    (None, [{}]),
])
def test_manual_trigger_turns_its_input_into_items(payload, expected):
    assert trigger_output("core.trigger.manual", payload) == expected


def test_manual_trigger_uses_its_sample_data_without_input():
    params = {"sample": [{"id": "sample"}]}
    assert trigger_output("core.trigger.manual", None, params) == [{"id": "sample"}]
    assert trigger_output("core.trigger.manual", {"id": "given"}, params) == [{"id": "given"}]


def test_webhook_trigger_gives_the_request_as_one_item():
    request = {"body": {"email": "a@b.c"}, "query": {"src": "ads"},
               "headers": {"content-type": "application/json"}, "method": "POST"}
    assert trigger_output("core.trigger.webhook", request, {"path": "lead"}) == [request]


def test_webhook_trigger_wraps_a_body_that_is_not_an_object():
    assert trigger_output("core.trigger.webhook", [1, 2], {"path": "x"}) == [{"body": [1, 2]}]


def test_schedule_trigger_gives_when_it_fired():
    payload = {"fired_at": "2024-03-01T09:00:05Z", "scheduled_for": "2024-03-01T09:00:00Z"}
    assert trigger_output("core.trigger.schedule", payload, {"mode": "daily"}) == [payload]


@pytest.mark.parametrize("node_type", ["core.trigger.error", "core.trigger.subworkflow"])
def test_error_and_sub_workflow_triggers_pass_their_data_on(node_type):
    assert trigger_output(node_type, [{"n": 1}, {"n": 2}]) == [{"n": 1}, {"n": 2}]
    assert trigger_output(node_type, {"run": {"id": 9}, "error": {"message": "x"}}) == [
        {"run": {"id": 9}, "error": {"message": "x"}}]


@pytest.mark.parametrize(("params", "cron"), [
    ({"mode": "daily", "time": "07:30"}, "30 7 * * *"),
    ({"mode": "daily"}, "0 9 * * *"),
    ({"mode": "weekly", "time": "18:05", "weekdays": ["mon", "fri"]}, "5 18 * * mon,fri"),
    ({"mode": "weekly"}, "0 9 * * mon"),
    ({"mode": "interval", "every_minutes": 15}, "*/15 * * * *"),
    ({"mode": "interval", "every_minutes": 120}, "0 */2 * * *"),
    ({"mode": "cron", "cron": " 0 8 1 * * "}, "0 8 1 * *"),
])
def test_schedule_presets_are_cron_lines(params, cron):
    assert cron_expression(params) == cron


@pytest.mark.parametrize(("params", "problems"), [
    ({"mode": "cron", "cron": "0 8 * * *", "timezone": "Europe/Paris"}, []),
    ({"mode": "cron"}, [("/cron", "a cron expression is required in cron mode.")]),
    ({"mode": "cron", "cron": "every day"}, [("/cron",
                                               "'every day' is not a valid cron expression.")]),
    ({"mode": "daily", "timezone": "Mars/Olympus"}, [("/timezone",
                                                      "'Mars/Olympus' is not a timezone I know.")]),
])
def test_schedule_check(params, problems):
    assert check(params) == problems


def test_schedule_problems_come_back_from_validation():
    document = doc(node("t", "core.trigger.schedule",
                        params={"mode": "cron", "cron": "61 * * * *", "timezone": "Nowhere"}))
    problems = [(p.node_id, p.pointer) for p in validate(document).errors]
    assert problems == [("t", "/nodes/0/params/cron"), ("t", "/nodes/0/params/timezone")]
