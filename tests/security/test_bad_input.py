"""No input makes a server error: generated requests against every documented route, and
generated workflow documents against import (which also saves nothing when it refuses)."""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from server.api.openapi import build
from server.db import Workflow, WorkflowVersion

#: Revoking the test's own token would only turn the rest into 401s.
SKIPPED = {("DELETE", "/api/tokens/{token_id}")}


def test_no_request_makes_a_server_error(app, owner):
    """schemathesis generates requests for every route /api/openapi.json documents."""
    schema = schemathesis.openapi.from_dict(build(app.url_map, app.view_functions))
    headers = {"Authorization": f"Bearer {owner['token']}"}
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(app=app, headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        call()
        checked += 1
    assert checked >= 30  # every documented route was exercised


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
node_types = st.sampled_from(["core.trigger.manual", "core.if", "core.map", "core.switch",
                              "core.merge", "core.loop", "core.wait", "nope", "core.http"])
nodes = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c", "bad id!"]), "type": node_types,
     "name": st.sampled_from(["A", "B", "C", ""])},
    optional={"params": st.dictionaries(st.sampled_from(
        ["conditions", "fields", "url", "rules", "mode", "path", "batch_size"]), json_values,
        max_size=3), "position": json_values, "retry": json_values, "on_error": json_values},
)
documents = st.fixed_dictionaries(
    {"format": st.sampled_from(["flowlane/workflow@1", "other"]),
     "name": st.text(max_size=30), "nodes": st.lists(nodes, max_size=5)},
    optional={"edges": st.lists(st.fixed_dictionaries(
        {"from": st.sampled_from(["a", "b", "c", "z"]), "to": st.sampled_from(["a", "b", "c"])},
        optional={"from_port": st.sampled_from(["main", "true", "loop", "x"]),
                  "to_port": st.sampled_from(["main", "input2"])}), max_size=5),
              "settings": json_values, "notes": json_values, "pinned": json_values},
) | json_values


@given(document=documents)
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_generated_documents_never_crash_import_nor_half_save(api, svc, document):
    with svc.db.session() as session:
        before = (session.query(Workflow).count(), session.query(WorkflowVersion).count())
    response = api.post("/api/workflows/import", data=json.dumps(document),
                        content_type="application/json")
    assert response.status_code in (201, 400, 409, 422), response.get_data(as_text=True)
    with svc.db.session() as session:
        after = (session.query(Workflow).count(), session.query(WorkflowVersion).count())
    if response.status_code == 201:
        assert after == (before[0] + 1, before[1] + 1)
    else:
        assert after == before
        assert response.json["detail"]
