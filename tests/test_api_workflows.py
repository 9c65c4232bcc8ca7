"""The workflows API: create, validate, save versions, import/export, activate, delete."""

from __future__ import annotations

import gzip
import json

from server.db import Workflow, WorkflowVersion
from tests.helpers import doc, node

GOOD = doc(
    node("start", "core.trigger.manual", name="Start"),
    node("shape", "core.map", name="Shape", params={"fields": [
        {"target": "total", "value": "{{ item.price * item.qty }}", "type": "number"}]}),
    edges=[("start", "shape")], name="Orders",
)


def count(svc, model) -> int:
    with svc.db.session() as session:
        return session.query(model).count()


def test_create_from_a_name_starts_with_a_manual_trigger(api):
    created = api.post("/api/workflows", json={"name": "New one"})
    assert created.status_code == 201
    assert created.json["version"] == 1
    assert [n["type"] for n in created.json["document"]["nodes"]] == ["core.trigger.manual"]


def test_saving_makes_a_new_version_only_when_the_document_changes(api):
    workflow_id = api.post("/api/workflows", json={"document": GOOD}).json["id"]
    same = api.put(f"/api/workflows/{workflow_id}", json={"document": GOOD})
    assert same.json["saved_version"] == 1
    changed = json.loads(json.dumps(GOOD))
    changed["nodes"][1]["params"]["fields"][0]["target"] = "sum"
    saved = api.put(f"/api/workflows/{workflow_id}", json={"document": changed})
    assert saved.json["saved_version"] == 2
    versions = api.get(f"/api/workflows/{workflow_id}/versions").json["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    first = api.get(f"/api/workflows/{workflow_id}/versions/1").json["document"]
    assert first == GOOD


def test_an_invalid_import_reports_every_problem_and_saves_nothing(api, svc):
    bad = doc(
        node("a", "core.nope", name="A"),
        node("a", "core.if", name="A", params={"conditions": {"rules": [
            {"left": "{{ item.x", "operator": "equals"}]}}),
        node("b", "core.limit", name="B", params={"max_items": "lots"}),
        edges=[("a", "ghost"), ("b", "maybe", "b")],
    )
    response = api.post("/api/workflows/import", json=bad)
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    problems = {(p["pointer"], p["node_id"]) for p in response.json["errors"]}
    assert ("/nodes/0/type", "a") in problems            # unknown type
    assert ("/nodes/1/id", "a") in problems              # duplicate id
    assert ("/nodes/1/name", "a") in problems            # duplicate name
    assert ("/nodes/1/params/conditions/rules/0/left", "a") in problems  # expression syntax
    assert ("/nodes/2/params/max_items", "b") in problems  # params schema
    assert ("/edges/0/to", None) in problems             # dangling edge
    assert ("/edges/1/from_port", "b") in problems       # unknown port
    assert any("no trigger" in p["message"] for p in response.json["errors"])
    assert all(p["message"] for p in response.json["errors"])
    assert count(svc, Workflow) == 0 and count(svc, WorkflowVersion) == 0


def test_validate_answers_a_report_without_saving(api, svc):
    report = api.post("/api/workflows/validate", json=GOOD).json
    assert report == {"valid": True, "errors": [], "warnings": []}
    assert count(svc, Workflow) == 0


def test_export_imports_back_identically(api):
    workflow_id = api.post("/api/workflows/import", json=GOOD).json["workflow"]["id"]
    exported = api.get(f"/api/workflows/{workflow_id}/export")
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    again = api.post("/api/workflows/import", json=exported.json).json["workflow"]["id"]
    assert api.get(f"/api/workflows/{again}/export").json == exported.json == GOOD


def test_bad_bodies_get_clear_problems_not_server_errors(api):
    cases = [
        api.post("/api/workflows", data="{nope", content_type="application/json"),
        api.post("/api/workflows", data="name=x", content_type="text/plain"),
        api.post("/api/workflows", json={"name": ""}),
        api.post("/api/workflows", json=[1, 2]),
        api.put("/api/workflows/1", json={"document": GOOD}),
        api.post("/api/workflows/import", json={"format": "other"}),
        api.get("/api/runs?limit=0"),
        api.get("/api/runs?since=yesterday"),
        api.get("/api/runs?cursor=%%%"),
        api.get("/api/runs?status=exploded"),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.json
        assert response.json["detail"]


def test_activation_registers_the_webhook_and_refuses_a_taken_path(api):
    hook = doc(node("hook", "core.trigger.webhook", params={"path": "orders/new"}), name="One")
    first = api.post("/api/workflows", json={"document": hook}).json["id"]
    second = api.post("/api/workflows", json={"document": {**hook, "name": "Two"}}).json["id"]
    assert api.post(f"/api/workflows/{first}/activate").json["active"] is True
    clash = api.post(f"/api/workflows/{second}/activate")
    assert clash.status_code == 409
    assert "orders/new" in clash.json["detail"]
    assert api.post("/webhook/orders/new", json={}).status_code == 202
    api.post(f"/api/workflows/{first}/deactivate")
    assert api.post("/webhook/orders/new", json={}).status_code == 404
    assert api.post(f"/api/workflows/{second}/activate").status_code == 200


def test_list_search_duplicate_and_delete(api, svc):
    workflow_id = api.post("/api/workflows", json={"document": GOOD}).json["id"]
    api.post("/api/workflows", json={"name": "Something else"})
    copy = api.post(f"/api/workflows/{workflow_id}/duplicate").json
    assert copy["name"] == "Orders (copy)"
    names = [w["name"] for w in api.get("/api/workflows?q=order").json["workflows"]]
    assert sorted(names) == ["Orders", "Orders (copy)"]
    assert api.delete(f"/api/workflows/{workflow_id}").status_code == 204
    assert api.get(f"/api/workflows/{workflow_id}").status_code == 404
    assert count(svc, Workflow) == 2


def test_catalogue_and_schema_describe_every_node(api):
    catalogue = api.get("/api/nodes").json
    types = {entry["type"]: entry for entry in catalogue["nodes"]}
    assert types["core.if"]["outputs"] == ["true", "false"]
    assert types["core.merge"]["inputs"] == ["input1", "input2"]
    assert types["core.trigger.webhook"]["inputs"] == []
    assert types["core.switch"]["outputs_from"]["param"] == "rules"
    assert api.get("/api/nodes/core.map").json["params"]["properties"]["fields"]
    assert api.get("/api/nodes/core.unknown").status_code == 404
    schema = api.get("/api/schema/workflow").json
    assert schema["properties"]["format"] == {"const": "flowlane/workflow@1"}
    paths = api.get("/api/openapi.json").json["paths"]
    assert "/api/workflows/{workflow_id}/run" in paths


def test_the_catalogue_is_sent_gzipped_and_revalidated(api):
    plain = api.get("/api/nodes")
    packed = api.get("/api/nodes", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.data) < len(plain.data) / 4
    assert json.loads(gzip.decompress(packed.data)) == plain.json
    again = api.get("/api/nodes", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
