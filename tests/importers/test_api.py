"""POST /api/import/n8n: every fixture imports and validates; bad input gets a clear 4xx and
saves nothing; an import that would not validate answers 422 with the report."""

from __future__ import annotations

import json

import pytest

from server.db import AuditEntry, Workflow, WorkflowVersion
from tests.importers.conftest import fixture_names, load

ROUTE = "/api/import/n8n"


def counts(svc):
    with svc.db.session() as session:
        return session.query(Workflow).count(), session.query(WorkflowVersion).count()


@pytest.mark.parametrize("name", fixture_names())
def test_every_fixture_imports_and_validates(api, svc, name):
    response = api.post(ROUTE, json=load(name))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    report, workflow = body["report"], body["workflow"]
    assert report["validation"]["valid"] is True
    assert api.post("/api/workflows/validate", json=workflow["document"]).get_json()["valid"]
    assert report["summary"]["nodes"] == report["summary"]["mapped"] + \
        report["summary"]["needs_attention"]
    assert workflow["document"]["meta"]["imported_from"] == "n8n"
    with svc.db.session() as session:
        entry = session.query(AuditEntry).filter_by(action="imported").one()
        assert entry.target_id == str(workflow["id"]) and entry.detail["source"] == "n8n"


def test_the_answer_carries_the_workflow_and_the_report(api):
    body = api.post(ROUTE, json=load("unsupported.json")).get_json()
    assert body["workflow"]["name"] == "Code and community nodes"
    assert body["workflow"]["active"] is False
    report = body["report"]
    assert report["summary"] == {
        "nodes": 5, "mapped": 3, "needs_attention": 2, "sticky_notes": 0,
        "expressions_translated": 0, "expressions_untranslated": 0,
        "credentials_to_connect": 1}
    statuses = {entry["name"]: (entry["status"], entry["flowlane_type"])
                for entry in report["nodes"]}
    assert statuses["Clean up"] == ("needs_attention", "core.needs_attention")
    assert statuses["Hot"] == ("mapped", "core.noop")
    assert [entry["node"] for entry in report["attention"]] == ["Clean up", "Score lead"]
    assert report["credentials"] == [{"name": "Lead scorer", "n8n_type": "leadScorerApi",
                                      "kind": None, "nodes": ["Score lead"]}]


@pytest.mark.parametrize(("body", "detail"), [
    (b"{not json", "not valid JSON"),
    (b"", "Send the n8n workflow"),
    (b"[[[[[[[[[[" * 20000, "not valid JSON"),
    (json.dumps({"name": "x"}).encode(), "'nodes' list"),
    (json.dumps({"nodes": "many", "connections": {}}).encode(), "'nodes' list"),
    (json.dumps({"nodes": [], "connections": []}).encode(), "'connections'"),
    (json.dumps([1, 2]).encode(), "2 workflows"),
    (json.dumps("workflow").encode(), "JSON object"),
    (json.dumps({"nodes": [{"name": "A"}], "connections": {}}).encode(), "has no type"),
    (json.dumps({"nodes": [{"type": "n8n-nodes-base.noOp"}], "connections": {}}).encode(),
     "has no name"),
    (json.dumps({"format": "flowlane/workflow@1", "name": "x", "nodes": []}).encode(),
     "already a Flowlane workflow"),
])
def test_bad_input_gets_a_clear_400_and_saves_nothing(api, svc, body, detail):
    before = counts(svc)
    response = api.post(ROUTE, data=body, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]
    assert counts(svc) == before


def test_huge_files_are_refused_with_413(api, svc):
    before = counts(svc)
    padding = {"name": "x", "nodes": [], "connections": {}, "pad": "x" * (6 * 1024 * 1024)}
    response = api.post(ROUTE, data=json.dumps(padding), content_type="application/json")
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_json()["detail"]
    many = {"nodes": [{"name": f"N{i}", "type": "n8n-nodes-base.noOp", "parameters": {}}
                      for i in range(1001)], "connections": {}}
    response = api.post(ROUTE, json=many)
    assert response.status_code == 413 and "at most 1000" in response.get_json()["detail"]
    nested: dict = {}
    cursor = nested
    for _ in range(200):
        cursor["x"] = {}
        cursor = cursor["x"]
    deep = {"nodes": [{"name": "A", "type": "n8n-nodes-base.noOp", "parameters": nested}],
            "connections": {}}
    response = api.post(ROUTE, json=deep)
    assert response.status_code == 413 and "nested" in response.get_json()["detail"]
    assert counts(svc) == before


def test_a_result_that_would_not_validate_answers_422_with_the_report(api, svc):
    before = counts(svc)
    looping = {"name": "Retry forever", "nodes": [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
         "parameters": {}, "position": [0, 0]},
        {"name": "Try", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "parameters": {},
         "position": [200, 0]},
        {"name": "Again", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "parameters": {},
         "position": [400, 0]}],
        "connections": {"Start": {"main": [[{"node": "Try", "type": "main", "index": 0}]]},
                        "Try": {"main": [[{"node": "Again", "type": "main", "index": 0}]]},
                        "Again": {"main": [[{"node": "Try", "type": "main", "index": 0}]]}}}
    response = api.post(ROUTE, json=looping)
    assert response.status_code == 422
    body = response.get_json()
    assert "loops back on itself" in body["detail"]
    assert body["report"]["validation"]["valid"] is False
    assert body["report"]["summary"]["mapped"] == 3
    assert body["document"]["format"] == "flowlane/workflow@1"
    assert counts(svc) == before


def test_viewers_cannot_import(client_as, svc):
    response = client_as("viewer").post(ROUTE, json=load("core_routing.json"))
    assert response.status_code == 403
    assert counts(svc) == (0, 0)


def test_a_clipboard_paste_without_name_and_an_api_wrapper_import(api):
    pasted = load("core_routing.json")
    pasted.pop("name")
    assert api.post(ROUTE, json=pasted).get_json()["workflow"]["name"] == "Imported from n8n"
    wrapped = {"data": load("core_routing.json")}
    assert api.post(ROUTE, json=wrapped).status_code == 201
    listed = [load("core_routing.json")]
    assert api.post(ROUTE, json=listed).status_code == 201


def test_the_route_is_documented(api):
    paths = api.get("/api/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/import/n8n"]


def test_convert_only_answers_the_document_and_saves_nothing(api, client_as, svc):
    body = api.post(ROUTE + "/convert", json=load("unsupported.json")).get_json()
    assert body["report"]["summary"]["nodes"] == 5
    assert {n["type"] for n in body["document"]["nodes"]} >= {"core.needs_attention", "core.noop"}
    assert counts(svc) == (0, 0)
    assert api.post(ROUTE + "/convert", data=b"{not json").status_code == 400
    assert client_as("viewer").post(ROUTE + "/convert", json=load("core_routing.json")
                                     ).status_code == 403
    assert "post" in api.get("/api/openapi.json").get_json()["paths"]["/api/import/n8n/convert"]
