"""Run history in the browser: a failing run appears live on the Runs page, its detail shows
the failing node's error and input, a retry from the failed step succeeds once the cause is
fixed, and the filters survive a reload.

The failing step is an HTTP request to a webhook of a second workflow on the same live
server: while that workflow is inactive the server answers 404 (a real HTTP error with a
problem+json body); activating it is the fix.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.helpers import doc, node


def deal_workflows(live_server: LiveServer) -> tuple[int, int, str]:
    """A receiver (webhook, left inactive) and a sender that posts each deal to it.

    Returns (sender id, receiver id, sender name)."""
    suffix = uuid.uuid4().hex[:8]
    path = f"deals-{suffix}"
    receiver = live_server.create_workflow(doc(
        node("hook", "core.trigger.webhook", params={"path": path, "method": "POST"}),
        name=f"Deal inbox {suffix}",
    ))
    name = f"Send deals {suffix}"
    sender = live_server.create_workflow(doc(
        node("start", "core.trigger.manual", name="Start"),
        node("tag", "core.map", name="Tag deal",
             params={"fields": [{"target": "source", "value": "crm"}]}),
        node("post", "core.http", name="Post deal", params={
            "method": "POST", "url": f"{live_server.url}/webhook/{path}",
            "body_type": "json", "body": {"deal": "{{ item.deal }}"}}),
        edges=[("start", "tag"), ("tag", "post")],
        name=name,
    ))
    return sender["id"], receiver["id"], name


def start_run(live_server: LiveServer, workflow_id: int, deal: str) -> int:
    answer = live_server.api("POST", f"/api/workflows/{workflow_id}/run",
                             {"input": {"deal": deal, "value": 1200}})
    return int(answer["run_id"])


def finished_run(live_server: LiveServer, run_id: int, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = live_server.api("GET", f"/api/runs/{run_id}")
        if run["status"] in ("succeeded", "failed", "cancelled"):
            return run  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def run_row(page: Any, run_id: int) -> Any:
    return page.locator(f"[data-testid='run-row'][data-run-id='{run_id}']")


def status_count(page: Any, status: str) -> Any:
    return page.locator(f"[data-testid='status-count'][data-status='{status}'] strong")


def test_a_failing_run_appears_live_on_the_runs_page(page: Any, live_server: LiveServer,
                                                    shot: Any) -> None:
    sender, _receiver, _name = deal_workflows(live_server)
    page.goto(f"/runs?workflow={sender}")
    page.get_by_test_id("runs-empty").wait_for()
    expect(page.get_by_test_id("runs-page")).to_have_attribute("data-live", "true")
    expect(status_count(page, "failed")).to_have_text("0")
    page.evaluate("window.__sameDocument = true")

    run_id = start_run(live_server, sender, "deal-live-1")

    row = run_row(page, run_id)
    expect(row).to_have_attribute("data-status", "failed", timeout=30_000)
    expect(row).to_contain_text("answered 404")
    expect(row).to_contain_text("Manual")
    expect(status_count(page, "failed")).to_have_text("1")
    expect(status_count(page, "all")).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    shot(page, "runs-live")


def test_run_detail_shows_the_failing_nodes_error_and_input(page: Any, live_server: LiveServer,
                                                           shot: Any) -> None:
    sender, _receiver, _name = deal_workflows(live_server)
    run_id = start_run(live_server, sender, "deal-detail-7")
    assert finished_run(live_server, run_id)["status"] == "failed"

    page.goto(f"/runs?workflow={sender}")
    run_row(page, run_id).click()
    page.wait_for_url(f"**/runs/{run_id}")
    detail = page.get_by_test_id("run-detail")
    expect(detail).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("run-error")).to_contain_text("Post deal")

    # The graph of the run's version, each node coloured by what happened to it.
    graph = page.get_by_test_id("run-graph")
    expect(graph.locator("[data-node-id='start']")).to_have_attribute("data-status", "succeeded")
    expect(graph.locator("[data-node-id='post']")).to_have_attribute("data-status", "failed")
    expect(graph.locator(".react-flow__edge-text").first).to_have_text("1 item")

    # The failed node opens first: its error with the HTTP status and body, and its input.
    panel = page.get_by_test_id("node-run")
    expect(panel).to_have_attribute("data-node-id", "post")
    expect(panel.get_by_test_id("error-status")).to_contain_text("404")
    expect(panel.get_by_test_id("error-body")).to_contain_text("No active workflow listens")
    step_input = panel.get_by_test_id("step-input")
    expect(step_input).to_contain_text('"deal-detail-7"')
    expect(step_input).to_contain_text('"crm"')
    step_input.get_by_label("Search in this data").fill("deal-detail")
    expect(step_input.get_by_test_id("json-matches")).to_have_text("1 match")
    expect(panel.get_by_test_id("step-params")).to_contain_text("/webhook/deals-")

    # The timeline lists every step; the trigger tab holds the payload.
    expect(page.get_by_test_id("timeline-step")).to_have_count(3)
    page.get_by_role("button", name="Trigger data", exact=True).click()
    expect(page.get_by_test_id("trigger-payload")).to_contain_text("1200")
    shot(page, "run-detail-failed")


def test_retry_from_the_failed_step_succeeds_after_the_cause_is_fixed(
        page: Any, live_server: LiveServer, shot: Any) -> None:
    sender, receiver, _name = deal_workflows(live_server)
    failed_id = start_run(live_server, sender, "deal-retry-3")
    assert finished_run(live_server, failed_id)["status"] == "failed"

    live_server.api("POST", f"/api/workflows/{receiver}/activate")  # the cause, fixed

    page.goto(f"/runs/{failed_id}")
    page.get_by_test_id("retry-run").click()
    dialog = page.get_by_test_id("retry-dialog")
    expect(dialog.get_by_label("From the failed step")).to_be_checked()
    dialog.get_by_test_id("retry-start").click()
    page.wait_for_url(lambda url: "/runs/" in url and not url.endswith(f"/runs/{failed_id}"))
    retried_id = int(page.url.rstrip("/").split("/")[-1])

    detail = page.get_by_test_id("run-detail")
    expect(detail).to_have_attribute("data-run-id", str(retried_id))
    expect(detail).to_have_attribute("data-status", "succeeded", timeout=30_000)
    graph = page.get_by_test_id("run-graph")
    expect(graph.locator("[data-node-id='post']")).to_have_attribute("data-status", "succeeded")
    steps = page.get_by_test_id("timeline-step")
    expect(steps.filter(has_text="Tag deal")).to_contain_text("copied")
    expect(steps.filter(has_text="Post deal")).not_to_contain_text("copied")

    page.get_by_role("button", name="Related", exact=False).click()
    parent = page.locator(f"[data-testid='related-run'][data-run-id='{failed_id}']")
    expect(parent).to_contain_text("Retry of")
    retried = live_server.api("GET", f"/api/runs/{retried_id}")
    assert retried["parent"]["id"] == failed_id
    assert live_server.api("GET", f"/api/runs/{failed_id}")["status"] == "failed"
    shot(page, "run-detail-retried")


def test_filters_survive_a_reload(page: Any, live_server: LiveServer, shot: Any) -> None:
    sender, receiver, name = deal_workflows(live_server)
    failed_id = start_run(live_server, sender, "deal-filter-fail")
    assert finished_run(live_server, failed_id)["status"] == "failed"
    live_server.api("POST", f"/api/workflows/{receiver}/activate")
    ok_id = start_run(live_server, sender, "deal-filter-ok")
    assert finished_run(live_server, ok_id)["status"] == "succeeded"
    today = page.evaluate("() => new Date().toLocaleDateString('sv')")  # YYYY-MM-DD, local

    page.goto("/runs")
    page.get_by_label("Workflow", exact=True).select_option(label=name)
    expect(run_row(page, ok_id)).to_be_visible()
    page.locator("[data-testid='status-count'][data-status='failed']").click()
    page.get_by_label("Trigger", exact=True).select_option("manual")
    page.get_by_label("From date", exact=True).fill(today)
    page.get_by_label("To date", exact=True).fill(today)
    page.get_by_label("Search runs", exact=True).fill("deal-filter")
    page.wait_for_url("**q=deal-filter*")
    expect(run_row(page, failed_id)).to_be_visible()
    expect(run_row(page, ok_id)).to_have_count(0)
    url = page.url

    page.reload()
    assert page.url == url
    for part in (f"workflow={sender}", "status=failed", "trigger=manual", f"from={today}",
                 f"to={today}", "q=deal-filter"):
        assert part in url
    expect(page.get_by_label("Workflow", exact=True)).to_have_value(str(sender))
    expect(page.get_by_label("Trigger", exact=True)).to_have_value("manual")
    expect(page.get_by_label("From date", exact=True)).to_have_value(today)
    expect(page.get_by_label("Search runs", exact=True)).to_have_value("deal-filter")
    failed_chip = page.locator("[data-testid='status-count'][data-status='failed']")
    expect(failed_chip).to_have_attribute("aria-pressed", "true")
    expect(run_row(page, failed_id)).to_be_visible()
    expect(page.get_by_test_id("run-row")).to_have_count(1)
    shot(page, "runs-filtered")

    # Back and forward walk through the filters too.
    page.go_back()
    expect(page.get_by_label("To date", exact=True)).to_have_value("")
    page.go_forward()
    expect(page.get_by_label("To date", exact=True)).to_have_value(today)
    expect(page.get_by_test_id("run-row")).to_have_count(1)
