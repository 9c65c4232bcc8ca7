"""`flowlane up` without HighLevel: one "HighLevel (sandbox)" connection, trusted keys and
all; never a second, never over a real connection. Activation needs a connection."""

from __future__ import annotations

from sqlalchemy import select

from nodes.ghl import auth
from nodes.ghl.bootstrap import SANDBOX_CONNECTION, ensure_sandbox_connection
from nodes.ghl.host import host_for
from server.db import Credential, GhlSubscription
from tests.helpers import doc, node


def test_the_sandbox_connection_is_made_once(svc, sandbox):
    made = ensure_sandbox_connection(svc, sandbox.url, sandbox.token, sandbox.location_id)
    assert made is not None
    assert ensure_sandbox_connection(svc, sandbox.url, sandbox.token,
                                     sandbox.location_id) is None
    data = host_for(svc).store.load(made)
    assert data["name"] == SANDBOX_CONNECTION and data["kind"] == auth.PIT_KIND
    assert data["base_url"] == sandbox.url and data["location_id"] == sandbox.location_id
    assert data["webhook_public_keys"] == sandbox.public_keys


def test_an_existing_highlevel_connection_is_left_alone(api, svc, sandbox):
    answer = api.post("/api/credentials", json={"name": "Our agency", "kind": auth.PIT_KIND,
                                                "data": {"token": sandbox.token,
                                                         "location_id": sandbox.location_id,
                                                         "base_url": sandbox.url}})
    assert answer.status_code == 201, answer.json
    assert ensure_sandbox_connection(svc, sandbox.url, sandbox.token,
                                     sandbox.location_id) is None
    with svc.db.session() as session:
        assert session.scalars(select(Credential.name)).all() == ["Our agency"]


def test_activation_registers_triggers_and_needs_a_connection(api, svc, connection):
    document = doc(node("moved", "ghl.trigger.opportunity_stage_update",
                        params={"pipeline_id": "p1", "add_names": False}),
                   node("after", "core.noop"), edges=[("moved", "after")])
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    refused = api.post(f"/api/workflows/{workflow_id}/activate")
    assert refused.status_code == 409 and "HighLevel connection" in refused.json["detail"]
    document["nodes"][0]["credential"] = connection
    api.put(f"/api/workflows/{workflow_id}", json={"document": document})
    assert api.post(f"/api/workflows/{workflow_id}/activate").status_code == 200
    with svc.db.session() as session:
        [subscription] = session.scalars(select(GhlSubscription)).all()
        assert subscription.event_type == "OpportunityStageUpdate"
        assert subscription.filters == {"pipeline_id": "p1"}
        assert subscription.credential == connection and subscription.location_id
    api.post(f"/api/workflows/{workflow_id}/deactivate")
    with svc.db.session() as session:
        assert session.scalars(select(GhlSubscription)).all() == []
