"""GET /api/templates and POST /api/templates/<id>/use: the example workflows offered as
templates, and a new workflow made from one (answered as POST /api/workflows answers)."""

from __future__ import annotations

import json

from tests.helpers import ROOT

EXAMPLES = {p.stem: json.loads(p.read_text()) for p in (ROOT / "workflows" / "examples").glob(
    "*.json")}


def test_every_example_is_a_template_with_what_the_page_shows(client_as):
    templates = client_as("viewer").get("/api/templates").json["templates"]
    assert {t["id"] for t in templates} == set(EXAMPLES)
    for template in templates:
        example = EXAMPLES[template["id"]]
        assert set(template) == {"id", "name", "description", "group", "node_count",
                                 "requires"}
        assert template["name"] == example["name"] and template["description"]
        assert template["node_count"] == len(example["nodes"])
        uses_ghl = any(n["type"].startswith("ghl.") for n in example["nodes"])
        assert template["group"] == ("HighLevel" if uses_ghl else "Core")
        assert ("ghl" in template["requires"]) == uses_ghl
    by_id = {t["id"]: t for t in templates}
    assert by_id["ghl-stage-changed-alert-owner"]["requires"] == ["ghl"]
    assert by_id["core-manual-route-by-stage"]["requires"] == []
    assert [t["group"] for t in templates] == sorted(
        (t["group"] for t in templates), key=lambda g: g != "HighLevel")


def test_using_a_template_creates_a_workflow_like_creating_one_does(api, client_as):
    made = api.post("/api/templates/ghl-stage-changed-alert-owner/use")
    assert made.status_code == 201
    direct = api.post("/api/workflows", json={
        "document": EXAMPLES["ghl-stage-changed-alert-owner"]})
    assert set(made.json) == set(direct.json)
    assert made.json["document"] == EXAMPLES["ghl-stage-changed-alert-owner"]
    assert made.json["name"] == EXAMPLES["ghl-stage-changed-alert-owner"]["name"]
    assert made.json["active"] is False and made.json["version"] == 1
    again = api.post("/api/templates/ghl-stage-changed-alert-owner/use")
    assert again.json["id"] not in (made.json["id"], direct.json["id"])
    assert client_as("viewer").post("/api/templates/core-manual-route-by-stage/use"
                                    ).status_code == 403
    entry = next(e for e in api.get("/api/audit").json["entries"]
                 if e["target_id"] == str(made.json["id"]))
    assert (entry["action"], entry["detail"]["template"]) == (
        "created", "ghl-stage-changed-alert-owner")


def test_an_unknown_template_is_a_404_problem_and_makes_nothing(api):
    before = api.get("/api/workflows").json["workflows"]
    for template_id in ("no-such-template", ".hidden", "GHL-STAGE"):
        answer = api.post(f"/api/templates/{template_id}/use")
        assert answer.status_code == 404, template_id
        assert answer.mimetype == "application/problem+json"
        assert "no template" in answer.json["detail"]
    assert api.get("/api/workflows").json["workflows"] == before


def test_the_routes_are_in_the_openapi_document(api):
    paths = api.get("/api/openapi.json").json["paths"]
    assert "get" in paths["/api/templates"]
    assert "post" in paths["/api/templates/{template_id}/use"]


def test_a_webhook_template_used_twice_gives_two_workflows_that_can_both_be_active(api, worker):
    example = EXAMPLES["core-webhook-qualify-lead"]
    hook = next(n for n in example["nodes"] if n["type"] == "core.trigger.webhook")
    made = [api.post("/api/templates/core-webhook-qualify-lead/use").json for _ in range(2)]
    paths = [next(n for n in m["document"]["nodes"] if n["id"] == hook["id"])["params"]["path"]
             for m in made]
    assert paths[0] != paths[1]
    assert all(p.startswith(hook["params"]["path"].strip("/") + "-") for p in paths)
    for workflow in made:
        assert api.post(f"/api/workflows/{workflow['id']}/activate").status_code == 200
    called = api.post(f"/webhook/{paths[1]}", json={"email": "ann@example.com", "budget": 10})
    assert called.status_code == 200  # the second workflow answered from its own URL
