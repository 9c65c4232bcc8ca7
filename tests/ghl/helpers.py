"""Running GHL nodes in the test process, and reading the sandbox through its public API."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from nodes import registry
from server.credentials import load_by_name
from server.engine.executor import RunInfo
from server.engine.params import NodeParams
from server.engine.validate import _params_errors
from server.runs.host_services import provide


class NodeRun:
    """`RunContext` for one node run in the test process (the worker gives the same)."""

    def __init__(self, svc: Any, credential: str | None, payload: Any = None) -> None:
        self.svc = svc
        self.run_id, self.workflow_id = 0, 0
        self.node_id = self.node_name = "under-test"
        self.inputs: dict[str, Any] = {}
        self.trigger_payload = payload
        self.timezone = "UTC"
        self.log = logging.getLogger("tests.ghl")
        self.credential = load_by_name(svc, credential) if credential else None

    @property
    def http(self) -> Any:
        return self.svc.http

    def cancelled(self) -> bool:
        return False

    def service(self, name: str) -> Any:
        info = RunInfo(id=0, workflow_id=0, workflow_name="test", trigger_kind="manual",
                       started_at=datetime.now(UTC).isoformat())
        return provide(self.svc, name, info, self.node_id)

    def respond(self, *args: Any) -> None:
        raise AssertionError("not a webhook run")

    def run_workflow(self, *args: Any) -> Any:
        raise AssertionError("no sub-workflows here")


def run_node(svc: Any, node_type: str, params: dict[str, Any],
             items: list[dict[str, Any]] | None = None, credential: str | None = None,
             payload: Any = None) -> dict[str, list[dict[str, Any]]]:
    spec = registry.get(node_type)
    assert spec is not None, node_type
    # As saving a workflow checks them: values that are expressions are checked when run.
    problems = [e.message for e in _params_errors(node_type, params)]
    assert problems == [], f"params do not fit {node_type}'s schema: {problems}"
    scope = {"items": items or [], "trigger": {}, "nodes": {}, "run": {},
             "now": lambda: datetime.now(UTC)}
    context = NodeRun(svc, credential, payload)
    return spec.run(context, items or [{}], NodeParams(params, scope))  # type: ignore[arg-type]


def main(outputs: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return outputs["main"]
