"""The HTTP request node does not reach link-local or cloud metadata addresses."""

from __future__ import annotations

import pytest

from nodes.registry import NodeError
from server.netguard import OutboundGuard
from tests.helpers import doc, node, wait_for_run


def test_metadata_addresses_are_refused_by_default():
    guard = OutboundGuard()
    for host in ("169.254.169.254", "metadata.google.internal", "[fe80::1]", "100.100.100.200"):
        with pytest.raises(NodeError, match="does not send requests"):
            guard.check(host)
    guard.check("127.0.0.1")  # local services (the sandbox) are fine unless asked otherwise
    guard.check("93.184.216.34")


def test_allowlist_and_private_blocking_are_configurable():
    with pytest.raises(NodeError):
        OutboundGuard(block_private=True).check("10.1.2.3")
    OutboundGuard("169.254.169.254/32").check("169.254.169.254")
    OutboundGuard("metadata.google.internal").check("metadata.google.internal")


def test_an_http_node_aimed_at_metadata_fails_clearly(api, svc, worker):
    workflow_id = api.post("/api/workflows", json={"document": doc(
        node("start", "core.trigger.manual"),
        node("steal", "core.http", params={"url": "http://169.254.169.254/latest/meta-data/"}),
        edges=[("start", "steal")], name="SSRF")}).json["id"]
    run_id = api.post(f"/api/workflows/{workflow_id}/run", json={}).json["run_id"]
    run = wait_for_run(svc, run_id)
    assert run.status == "failed"
    assert "does not send requests to 169.254.169.254" in run.error["message"]
