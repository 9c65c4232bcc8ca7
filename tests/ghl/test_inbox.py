"""POST /hooks/ghl: signatures (Ed25519, else RSA; bad or missing is 401 unless the
connection allows unsigned events), storing before answering, dedupe by webhookId, GHL's
double events collapsed, fan-out to active workflows, and the triggers' filters."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from server.db import Run, WebhookEvent
from tests.ghl.helpers import main
from tests.helpers import doc, node

STAGE = "ghl.trigger.opportunity_stage_update"
UPDATE = "ghl.trigger.opportunity_update"


def event(sandbox, kind="OpportunityStageUpdate", **fields):
    return {"type": kind, "locationId": sandbox.location_id, "id": "opp00000000000000001",
            "assignedTo": "user0000000000000001", "contactId": "cont0000000000000001",
            "monetaryValue": 500, "name": "Deal", "pipelineId": "pipe0000000000000001",
            "pipelineStageId": "stage-1", "source": "", "status": "open",
            "dateAdded": "2026-11-01T10:00:00.000Z", "timestamp": "2026-11-28T10:00:00Z",
            "webhookId": str(uuid.uuid4()), **fields}


@pytest.fixture
def deliver(anonymous, sandbox):
    """POST an event as HighLevel would: exact bytes, signed with the sandbox's keys."""
    def send(payload, sign=("x-ghl-signature", "x-wh-signature"), body=None, tamper=False):
        raw = body or json.dumps(payload, separators=(",", ":")).encode()
        signatures = sandbox.state.keys.sign(raw + (b" " if tamper else b""))
        headers = {name: signatures[name] for name in sign}
        return anonymous.post("/hooks/ghl", data=raw, headers={
            "Content-Type": "application/json", **headers})
    return send


@pytest.fixture
def listen(api, connection):
    """An active workflow whose trigger node(s) listen through the sandbox connection."""
    def make(*triggers, name="Listener"):
        nodes = [node(f"t{i}", kind, credential=connection, params=params or {})
                 for i, (kind, params) in enumerate(triggers)]
        nodes.append(node("after", "core.noop"))
        edges = [(f"t{i}", "after") for i in range(len(triggers))]
        answer = api.post("/api/workflows", json={"document": doc(*nodes, edges=edges,
                                                                  name=name)})
        workflow_id = answer.json["id"]
        assert api.post(f"/api/workflows/{workflow_id}/activate").status_code == 200, answer.json
        return workflow_id
    return make


def runs_of(svc, workflow_id):
    with svc.db.session() as session:
        return session.scalars(select(Run).where(Run.workflow_id == workflow_id)
                               .order_by(Run.id)).all()


def stored_events(svc):
    with svc.db.session() as session:
        return session.scalar(select(func.count()).select_from(WebhookEvent))


def test_ed25519_signed_event_is_stored_and_starts_the_workflow(svc, sandbox, deliver,
                                                                listen):
    workflow_id = listen((STAGE, {}))
    answer = deliver(event(sandbox), sign=("x-ghl-signature",))
    assert answer.status_code == 200, answer.json
    assert answer.json["event"] == "OpportunityStageUpdate"
    runs = runs_of(svc, workflow_id)
    assert [r.id for r in runs] == answer.json["runs"]
    assert runs[0].trigger_node == "t0" and runs[0].trigger_kind == "ghl"
    assert runs[0].trigger_payload["pipelineStageId"] == "stage-1"
    with svc.db.session() as session:
        stored = session.get(WebhookEvent, answer.json["stored"])
        assert stored.body["webhookId"] and stored.headers["verified-by"] == "x-ghl-signature"
        assert stored.run_ids == answer.json["runs"]


def test_the_legacy_rsa_signature_is_accepted_alone(sandbox, deliver, listen):
    listen((STAGE, {}))
    answer = deliver(event(sandbox), sign=("x-wh-signature",))
    assert answer.status_code == 200 and len(answer.json["runs"]) == 1


@pytest.mark.parametrize("sign,tamper", [((), False), (("x-ghl-signature",), True),
                                         (("x-wh-signature",), True)])
def test_unsigned_or_badly_signed_events_are_refused(svc, sandbox, deliver, listen, sign,
                                                     tamper):
    workflow_id = listen((STAGE, {}))
    answer = deliver(event(sandbox), sign=sign, tamper=tamper)
    assert answer.status_code == 401
    assert stored_events(svc) == 0 and runs_of(svc, workflow_id) == []


def test_a_bad_ed25519_signature_is_not_rescued_by_a_good_rsa_one(sandbox, anonymous, listen):
    listen((STAGE, {}))
    raw = json.dumps(event(sandbox)).encode()
    good = sandbox.state.keys.sign(raw)
    wrong = sandbox.state.keys.sign(raw + b"x")
    answer = anonymous.post("/hooks/ghl", data=raw, headers={
        "Content-Type": "application/json", "x-ghl-signature": wrong["x-ghl-signature"],
        "x-wh-signature": good["x-wh-signature"]})
    assert answer.status_code == 401


def test_a_connection_may_accept_unsigned_events(api, svc, sandbox, deliver, listen,
                                                 connection):
    credential = next(c for c in api.get("/api/credentials").json["credentials"]
                      if c["name"] == connection)
    changed = api.put(f"/api/credentials/{credential['id']}",
                      json={"data": {"allow_unsigned_webhooks": True}})
    assert changed.status_code == 200, changed.json
    workflow_id = listen((STAGE, {}))
    answer = deliver(event(sandbox), sign=())
    assert answer.status_code == 200, answer.json
    assert len(runs_of(svc, workflow_id)) == 1


def test_a_replayed_webhook_id_is_stored_once(svc, sandbox, deliver, listen):
    workflow_id = listen((STAGE, {}))
    payload = event(sandbox)
    first, second = deliver(payload), deliver(payload)
    assert first.json["runs"] and second.json == {"duplicate": True,
                                                  "webhookId": payload["webhookId"]}
    assert stored_events(svc) == 1 and len(runs_of(svc, workflow_id)) == 1


def test_update_and_stage_events_for_one_change_start_one_run_per_workflow(svc, sandbox,
                                                                           deliver, listen):
    both = listen((UPDATE, {}), (STAGE, {}), name="Both")
    stage_only = listen((STAGE, {}), name="Stage only")
    update_only = listen((UPDATE, {}), name="Update only")
    fields = {"pipelineStageId": "stage-2", "timestamp": "2026-11-28T10:00:01Z"}
    deliver(event(sandbox, "OpportunityUpdate", **fields))
    deliver(event(sandbox, "OpportunityStageUpdate", **fields))
    assert [len(runs_of(svc, w)) for w in (both, stage_only, update_only)] == [1, 1, 1]
    # A later, different change is a new run.
    deliver(event(sandbox, "OpportunityStageUpdate", pipelineStageId="stage-3"))
    assert len(runs_of(svc, both)) == 2


def test_filters_choose_the_events(svc, sandbox, deliver, listen):
    in_pipeline = listen((STAGE, {"pipeline_id": "pipe0000000000000001",
                                  "pipeline_stage_id": "stage-9"}), name="To stage 9")
    other_pipeline = listen((STAGE, {"pipeline_id": "another"}), name="Other pipeline")
    mine = listen((STAGE, {"assigned_to": "user0000000000000001", "status": "open"}),
                  name="Mine, open")
    deliver(event(sandbox, pipelineStageId="stage-9"))
    deliver(event(sandbox, pipelineStageId="stage-8", assignedTo="someone-else"))
    assert len(runs_of(svc, in_pipeline)) == 1
    assert runs_of(svc, other_pipeline) == []
    assert len(runs_of(svc, mine)) == 1


def test_value_changed_uses_what_the_previous_event_said(svc, sandbox, deliver, listen):
    watcher = listen((UPDATE, {"value_changed": True}), name="Value watcher")
    deliver(event(sandbox, "OpportunityCreate", monetaryValue=100))
    deliver(event(sandbox, "OpportunityUpdate", monetaryValue=100, name="Renamed"))
    assert runs_of(svc, watcher) == []
    deliver(event(sandbox, "OpportunityUpdate", monetaryValue=250, name="Renamed"))
    runs = runs_of(svc, watcher)
    assert len(runs) == 1
    payload = runs[0].trigger_payload
    assert payload["changed"] == ["monetaryValue"]
    assert payload["previous"]["monetaryValue"] == 100


def test_inactive_workflows_get_nothing(api, sandbox, deliver, listen):
    workflow_id = listen((STAGE, {}))
    api.post(f"/api/workflows/{workflow_id}/deactivate")
    assert deliver(event(sandbox)).json["runs"] == []


def test_other_locations_are_judged_by_the_configured_keys(sandbox, deliver, listen,
                                                           tmp_path, monkeypatch):
    listen((STAGE, {}))
    # The sandbox's keys are trusted through its connection, i.e. for its location only.
    assert deliver(event(sandbox, locationId="SomeOtherLocation01")).status_code == 401
    files = []
    for header, pem in sandbox.public_keys.items():
        files.append(tmp_path / f"{header}.pem")
        files[-1].write_text(pem)
    monkeypatch.setenv("FLOWLANE_GHL_WEBHOOK_KEYS", ",".join(map(str, files)))
    elsewhere = deliver(event(sandbox, locationId="SomeOtherLocation01"))
    assert elsewhere.status_code == 200 and elsewhere.json["runs"] == []


def test_not_json_is_400(anonymous):
    answer = anonymous.post("/hooks/ghl", data=b"nope", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 400


def test_sandbox_changes_arrive_signed_over_http_and_start_runs(svc, sandbox, admin, listen,
                                                                 live_server, node):
    """The whole path: a stage move in the sandbox -> two signed webhooks -> one run."""
    both = listen((UPDATE, {}), (STAGE, {}), name="Both")
    admin.post("/webhooks", json={"urls": [f"{live_server}/hooks/ghl"]})
    deal = main(node("ghl.opportunities.search", {"limit": 1}))[0]
    pipeline = next(p for p in main(node("ghl.opportunities.pipelines", {}))
                    if p["id"] == deal["pipelineId"])
    target = next(s["id"] for s in pipeline["stages"] if s["id"] != deal["pipelineStageId"])
    node("ghl.opportunities.update", {"id": deal["id"], "pipelineStageId": target})
    from tests.sandbox.client import wait_for

    deliveries = wait_for(lambda: [d for d in admin.get("/webhooks").json()["deliveries"]
                                   if d["state"] != "pending"] or None)
    wait_for(lambda: len([d for d in admin.get("/webhooks").json()["deliveries"]
                          if d["state"] == "delivered"]) >= 2)
    assert all(d["status"] == 200 for d in deliveries)
    runs = runs_of(svc, both)
    assert len(runs) == 1
    assert runs[0].trigger_payload["pipelineStageId"] == target
