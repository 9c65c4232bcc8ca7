"""An executor host that keeps everything in memory: for the engine benchmark, unit tests
of nodes, and previews. No database, no queue, no credentials."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from nodes.registry import Items, NodeError
from server.engine.executor import Executor, Outcome, RunInfo, StepRecord
from server.engine.graph import Graph, NodeDef


class MemoryRecorder:
    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.steps: list[StepRecord] = []
        self.cancelled = False

    def step_started(self, node: NodeDef, iteration: int | None, attempt: int) -> None:
        pass

    def step_finished(self, step: StepRecord) -> None:
        if self.keep:
            self.steps.append(step)

    def cancel_requested(self) -> bool:
        return self.cancelled


class MemoryServices:
    def __init__(self, credentials: Mapping[str, dict[str, Any]] | None = None) -> None:
        self._http: httpx.Client | None = None
        self.credentials = dict(credentials or {})
        self.responses: list[tuple[int, int, Any, Mapping[str, str]]] = []
        #: Services by name, for tests that run nodes needing one in memory.
        self.services: dict[str, Any] = {}

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(follow_redirects=True)
        return self._http

    def credential(self, name: str) -> dict[str, Any] | None:
        return self.credentials.get(name)

    def respond(self, run_id: int, status: int, body: Any, headers: Mapping[str, str]) -> None:
        self.responses.append((run_id, status, body, headers))

    def run_workflow(self, run: RunInfo, ref: int | str, items: Items, wait: bool) -> Items:
        raise NodeError("Sub-workflows need a Flowlane server; they cannot run in memory.")

    def service(self, name: str, run: RunInfo, node_id: str) -> Any:
        if name in self.services:
            return self.services[name]
        raise NodeError(f"This node needs the {name!r} service of a Flowlane server.")


def run_document(document: dict[str, Any], payload: Any = None, *, start: str | None = None,
                 recorder: MemoryRecorder | None = None,
                 services: MemoryServices | None = None) -> tuple[Outcome, MemoryRecorder]:
    """Run a (validated) document in this process, from its first trigger or `start`."""
    from nodes import registry

    graph = Graph(document)
    if start is None:
        start = next(n.id for n in graph.nodes.values()
                     if (spec := registry.get(n.type)) and spec.is_trigger)
    recorder = recorder or MemoryRecorder()
    info = RunInfo(id=0, workflow_id=0, workflow_name=document.get("name", ""),
                   trigger_kind="manual", started_at=datetime.now(UTC).isoformat(),
                   timezone=(document.get("settings") or {}).get("timezone", "UTC"))
    executor = Executor(graph, info, services or MemoryServices(), recorder,
                        trigger_payload=payload)
    return executor.execute(start), recorder
