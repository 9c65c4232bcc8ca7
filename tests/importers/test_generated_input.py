"""Generated n8n-shaped input never crashes the importer: it converts (valid or not, with a
report) or is refused with a sentence; through the API, never a server error, never a
half-saved workflow."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.db import Workflow
from server.engine.validate import validate
from server.importers.n8n import NotAnN8nWorkflow, TooBig, convert
from server.importers.n8n.mappers import known_types

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False)
    | st.sampled_from(["", "=", "={{ $json.a }}", "={{ $('A').item.json.b }}", "x{{ y }}",
                       "={{ $json.a.map(x => x.b) }}", "={{", "=}}{{", "id", "a,b", "-1"])
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(
        ["values", "conditions", "rules", "options", "assignments", "mode", "field",
         "interval", "__rl", "value", "fieldToSplitOut", "parameters", "name", "type"]),
        children, max_size=3),
    max_leaves=15,
)
types = st.sampled_from([*known_types(), "n8n-nodes-base.code", "community.thing",
                         "@n8n/n8n-nodes-langchain.agent", "n8n-nodes-base.stickyNote"])
parameters = st.dictionaries(st.sampled_from(
    ["mode", "conditions", "rules", "assignments", "fields", "values", "path", "httpMethod",
     "resource", "operation", "returnAll", "filters", "rule", "batchSize", "amount", "unit",
     "url", "method", "jsonBody", "sendBody", "options", "fieldToSplitOut", "workflowId",
     "include", "includeOtherFields", "combineBy", "joinMode", "output", "numberOutputs"]),
    json_values, max_size=5)
nodes = st.lists(st.fixed_dictionaries(
    {"name": st.sampled_from(["A", "B", "C", "D"]), "type": types},
    optional={"typeVersion": st.sampled_from([1, 1.1, 2, 2.2, 3, 3.3, 4.2, "2", None]),
              "parameters": parameters, "position": json_values, "disabled": json_values,
              "credentials": json_values, "onError": json_values,
              "retryOnFail": json_values}), max_size=5)
connections = st.dictionaries(st.sampled_from(["A", "B", "C", "Z"]), st.fixed_dictionaries(
    {"main": st.lists(st.lists(st.fixed_dictionaries(
        {"node": st.sampled_from(["A", "B", "C", "Z"]), "type": st.just("main"),
         "index": st.integers(-1, 2)}), max_size=2), max_size=3)}), max_size=3)
workflows = st.fixed_dictionaries({"nodes": nodes, "connections": connections},
                                  optional={"name": json_values, "settings": json_values,
                                            "pinData": json_values}) | json_values


@given(workflows)
@settings(max_examples=400, deadline=None)
def test_generated_workflows_convert_or_are_refused(data):
    try:
        result = convert(data)
    except (NotAnN8nWorkflow, TooBig) as err:
        assert str(err)
        return
    json.dumps(result.document)
    assert validate(result.document).ok == result.ok
    assert result.report.as_dict()["summary"]["nodes"] >= 0


@given(workflows)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_generated_workflows_never_crash_the_api_nor_half_save(api, svc, data):
    with svc.db.session() as session:
        before = session.query(Workflow).count()
    response = api.post("/api/import/n8n", data=json.dumps(data),
                        content_type="application/json")
    assert response.status_code in (201, 400, 413, 422), response.get_data(as_text=True)
    with svc.db.session() as session:
        after = session.query(Workflow).count()
    assert after == before + (1 if response.status_code == 201 else 0)
    assert response.get_json()["report" if response.status_code == 201 else "detail"]
