"""Workflow webhooks: a committed run per call, secrets, clear errors for bad calls."""

from __future__ import annotations

from server.db import Run
from tests.helpers import doc, node, wait_for_run


def activate(api, document) -> int:
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    response = api.post(f"/api/workflows/{workflow_id}/activate")
    assert response.status_code == 200, response.json
    return workflow_id


def runs(svc) -> list[Run]:
    with svc.db.session() as session:
        return session.query(Run).order_by(Run.id).all()


HOOK = doc(node("hook", "core.trigger.webhook", params={"path": "deals", "method": "POST"}),
           name="Deals")


def test_a_call_commits_a_run_with_the_request_and_answers_202(api, svc):
    activate(api, HOOK)
    response = api.post("/webhook/deals?source=form", json={"deal": "Acme", "value": 10},
                        headers={"Authorization": "Bearer abc", "X-Trace": "t1"})
    assert response.status_code == 202
    (run,) = runs(svc)
    assert response.json == {"run_id": run.id, "status": "queued"}
    assert run.trigger_kind == "webhook" and run.status == "queued"
    payload = run.trigger_payload
    assert payload["body"] == {"deal": "Acme", "value": 10}
    assert payload["query"] == {"source": "form"}
    assert payload["headers"]["X-Trace"] == "t1"
    assert payload["headers"]["Authorization"] == "[redacted]"


def test_form_and_text_bodies_are_kept(api, svc):
    activate(api, HOOK)
    api.post("/webhook/deals", data={"name": "Ada"})
    api.post("/webhook/deals", data="plain words", content_type="text/plain")
    assert [r.trigger_payload["body"] for r in runs(svc)] == [{"name": "Ada"}, "plain words"]


def test_bad_calls_get_clear_errors_and_start_nothing(api, svc, config):
    activate(api, HOOK)
    broken = api.post("/webhook/deals", data="{nope", content_type="application/json")
    assert broken.status_code == 400 and "not valid JSON" in broken.json["detail"]
    wrong_method = api.get("/webhook/deals")
    assert wrong_method.status_code == 404
    unknown = api.post("/webhook/nobody-here", json={})
    assert unknown.status_code == 404
    huge = api.post("/webhook/deals", data="x" * (config.webhook_max_bytes + 1),
                    content_type="text/plain")
    assert huge.status_code == 413
    assert runs(svc) == []


def test_a_secret_header_is_required_when_the_trigger_has_one(api, svc):
    api.post("/api/credentials", json={"name": "Form secret", "kind": "webhook_secret",
                                       "data": {"header": "X-Form-Secret",
                                                "value": "s3cret-value"}})
    secured = doc(node("hook", "core.trigger.webhook", credential="Form secret",
                       params={"path": "secure", "method": "POST"}), name="Secure")
    activate(api, secured)
    assert api.post("/webhook/secure", json={}).status_code == 401
    assert api.post("/webhook/secure", json={},
                    headers={"X-Form-Secret": "wrong"}).status_code == 401
    ok = api.post("/webhook/secure", json={}, headers={"X-Form-Secret": "s3cret-value"})
    assert ok.status_code == 202
    (run,) = runs(svc)
    assert run.trigger_payload["headers"]["X-Form-Secret"] == "[redacted]"


def test_respond_node_mode_answers_when_the_run_ends_without_one(api, svc, worker):
    activate(api, doc(
        node("hook", "core.trigger.webhook",
             params={"path": "ask", "method": "POST", "respond": "respond_node"}),
        node("fail", "core.stop", params={"message": "no {{ item.body.what }}"}),
        edges=[("hook", "fail")], name="Ask",
    ))
    response = api.post("/webhook/ask", json={"what": "luck"})
    assert response.status_code == 500
    assert response.json["status"] == "failed" and response.json["error"] == "no luck"
    assert wait_for_run(svc, response.json["run_id"]).status == "failed"


def test_a_caller_waiting_longer_than_redis_reads_gets_still_running(api, svc, monkeypatch):
    """The wait outlasts the Redis client's 5 s socket timeout; no worker answers."""
    from dataclasses import replace

    monkeypatch.setattr(svc, "config", replace(svc.config, webhook_response_timeout=6))
    activate(api, doc(
        node("hook", "core.trigger.webhook",
             params={"path": "slow", "method": "POST", "respond": "respond_node"}),
        node("answer", "core.respond_webhook", params={"status": 200, "body": "hi"}),
        edges=[("hook", "answer")], name="Slow",
    ))
    response = api.post("/webhook/slow", json={})
    assert response.status_code == 202
    assert response.json["status"] == "running" and "did not respond in time" in response.json[
        "detail"]
    assert [run.status for run in runs(svc)] == ["queued"]
