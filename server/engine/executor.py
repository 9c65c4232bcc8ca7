"""The executor: runs a workflow graph from one trigger, node by node, in dependency order.

It knows nothing of databases or queues. What a run needs from the outside (credentials,
HTTP, sub-workflows, webhook responses, cancellation) comes through `Services`; what it does
is reported to a `Recorder` (the worker's writes steps to the database and emits live events;
the benchmark's keeps nothing).

Semantics, as in n8n: a node receives the items of its incoming edges per input port and
returns items per output port. A node none of whose inputs received an item does not run
(that is how an IF's unused branch stops). A run can resume: nodes in `completed` are not run
again, their recorded outputs are used, which is how Wait continuations, crash recovery and
"retry from the failed step" work.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import traceback
from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from nodes import registry
from nodes.registry import Items, NodeError, NodeSpec, Outputs, WaitUntil
from server.engine import filters
from server.engine.expressions import ExpressionError
from server.engine.graph import LOOP_TYPE, Graph, NodeDef
from server.engine.params import NodeParams
from server.engine.redact import Redactor

log = logging.getLogger("flowlane.engine")

Frame = MutableMapping[str, Outputs]


class Services(Protocol):
    """What the executor needs from its host (a worker, a test, a benchmark)."""

    @property
    def http(self) -> httpx.Client: ...

    def credential(self, name: str) -> dict[str, Any] | None: ...

    def respond(self, run_id: int, status: int, body: Any, headers: Mapping[str, str]) -> None:
        ...

    def run_workflow(self, run: RunInfo, ref: int | str, items: Items, wait: bool) -> Items: ...

    def service(self, name: str, run: RunInfo, node_id: str) -> Any: ...


class Recorder(Protocol):
    def step_started(self, node: NodeDef, iteration: int | None, attempt: int) -> None: ...

    def step_finished(self, step: StepRecord) -> None: ...

    def cancel_requested(self) -> bool: ...


@dataclass(frozen=True)
class RunInfo:
    """The `run` name in expressions, and what nodes learn about their run."""

    id: int
    workflow_id: int
    workflow_name: str
    trigger_kind: str
    started_at: str
    timezone: str = "UTC"
    depth: int = 0


@dataclass
class StepRecord:
    node: NodeDef
    status: str
    attempt: int
    iteration: int | None
    input: dict[str, Items]
    output: Outputs | None
    started_at: datetime
    finished_at: datetime
    error: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    origin: str = "ran"


@dataclass
class Outcome:
    status: str  # succeeded | failed | waiting | cancelled
    error: dict[str, Any] | None = None
    wait_until: datetime | None = None
    results: dict[str, Outputs] = field(default_factory=dict)


class _Parked(Exception):  # control flow, not an error
    def __init__(self, when: datetime) -> None:
        self.when = when


class _Failed(Exception):  # control flow, not an error
    def __init__(self, error: dict[str, Any]) -> None:
        self.error = error


class _Cancelled(Exception):  # control flow, not an error
    def __init__(self, reason: str) -> None:
        self.reason = reason


class NodeTimeout(Exception):
    pass


class NodeData:
    """`nodes["Name"]` in expressions: `.items` (main output), `.item`, `.outputs`."""

    def __init__(self, outputs: Outputs) -> None:
        self.outputs = outputs
        self.items = outputs.get("main") or next((v for v in outputs.values() if v), [])
        self.item = self.items[0] if self.items else {}


class NodesView(Mapping[str, NodeData]):
    """Outputs of the nodes that ran so far, looked up by node name."""

    def __init__(self, graph: Graph, frame: Frame) -> None:
        self._graph, self._frame = graph, frame

    def __getitem__(self, name: str) -> NodeData:
        node = self._graph.by_name.get(name)
        if node is None:
            raise KeyError(f"there is no node named {name!r}")
        outputs = self._frame.get(node.id)
        if outputs is None:
            raise KeyError(f"node {name!r} has not run (yet) in this run")
        return NodeData(outputs)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return (node.name for node in self._graph.nodes.values() if node.id in self._frame)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def describe_error(err: BaseException) -> dict[str, Any]:
    """An error as the run history shows it: a sentence first, details for the curious."""
    if isinstance(err, NodeError):
        return {"message": err.message, "type": "NodeError", "details": err.details}
    if isinstance(err, ExpressionError):
        return {"message": f"Expression error: {err.reason}", "type": "ExpressionError",
                "details": {"expression": err.template}}
    if isinstance(err, NodeTimeout):
        return {"message": str(err), "type": "Timeout", "details": {}}
    frames = traceback.extract_tb(err.__traceback__)[-3:]
    return {
        "message": f"{type(err).__name__}: {err}",
        "type": type(err).__name__,
        "details": {"trace": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames]},
    }


class Executor:
    def __init__(
        self,
        graph: Graph,
        run: RunInfo,
        services: Services,
        recorder: Recorder,
        *,
        trigger_payload: Any = None,
        completed: Mapping[str, Outputs] | None = None,
        pinned: Mapping[str, Outputs] | None = None,
        deadline: float | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.graph = graph
        self.run = run
        self.services = services
        self.recorder = recorder
        self.trigger_payload = trigger_payload
        self.results: dict[str, Outputs] = dict(completed or {})
        self.pinned = dict(pinned or {})
        self.deadline = deadline
        #: Learns the secrets of the connections nodes use, so the recorder can mask them.
        self.redactor = redactor or Redactor()
        self._start = ""
        self._run_scope = {
            "id": run.id, "workflow_id": run.workflow_id, "workflow": run.workflow_name,
            "trigger_kind": run.trigger_kind, "started_at": run.started_at,
        }

    # -- the run ----------------------------------------------------------------------------

    def execute(self, start: str) -> Outcome:
        """Run everything reachable from the trigger node `start`."""
        self._start = start
        reachable = {start} | self.graph.downstream([start])
        order = [node_id for node_id in self.graph.order() if node_id in reachable]
        try:
            self._run_sequence(order, self.results, None)
            # A last node may stop early when the run is cancelled; its partial output
            # must not make the run look finished.
            self._check_stop()
        except _Parked as parked:
            return Outcome("waiting", wait_until=parked.when, results=self.results)
        except _Failed as failed:
            return Outcome("failed", error=failed.error, results=self.results)
        except _Cancelled as cancelled:
            return Outcome("cancelled", error={"message": cancelled.reason},
                           results=self.results)
        return Outcome("succeeded", results=self.results)

    def _run_sequence(self, order: list[str], frame: Frame, iteration: int | None) -> None:
        handled: set[str] = set()
        for node_id in order:
            if node_id in frame or node_id in handled:
                continue
            self._check_stop()
            node = self.graph.nodes[node_id]
            spec = registry.get(node.type)
            assert spec is not None, f"unknown node type {node.type}"  # validated before
            if spec.is_trigger:
                if node_id != self._start:
                    continue
                inputs: dict[str, Items] = {}
            else:
                gathered = self._gather(node_id, frame)
                if gathered is None:
                    continue  # nothing arrived: the node does not run
                inputs = gathered
            if node.type == LOOP_TYPE and self.graph.loop_bodies.get(node_id):
                self._run_loop(node, inputs, frame, iteration)
                handled |= self.graph.loop_bodies[node_id]
                continue
            frame[node_id] = self._run_node(node, spec, inputs, frame, iteration)

    def _gather(self, node_id: str, frame: Frame) -> dict[str, Items] | None:
        inputs: dict[str, Items] = {}
        arrived = False
        for edge in self.graph.incoming[node_id]:
            if edge in self.graph.back_edges:
                continue
            outputs = frame.get(edge.source)
            if outputs is None:
                continue
            items = outputs.get(edge.source_port) or []
            if items:
                arrived = True
                inputs.setdefault(edge.target_port, []).extend(items)
        return inputs if arrived else None

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def _check_stop(self) -> None:
        if self.past_deadline():
            raise _Cancelled("The run took longer than its time limit.")
        if self.recorder.cancel_requested():
            raise _Cancelled("The run was cancelled.")

    # -- one node ---------------------------------------------------------------------------

    def _run_node(self, node: NodeDef, spec: NodeSpec, inputs: dict[str, Items], frame: Frame,
                  iteration: int | None) -> Outputs:
        main = inputs.get(spec.inputs[0], []) if spec.inputs else []
        if node.id in self.pinned:
            outputs = self.pinned[node.id]
            self._record(node, "succeeded", 1, iteration, inputs, outputs, origin="pinned")
            return outputs
        if node.disabled:
            first = spec.output_ports(node.params)[:1] or ["main"]
            return {first[0]: main}
        max_attempts = int(node.retry.get("max_attempts", 1) or 1)
        attempt = 1
        while True:
            started = datetime.now(UTC)
            self.recorder.step_started(node, iteration, attempt)
            params = NodeParams(node.params, self._scope(frame, main),
                                self.graph.renderer(node.id))
            try:
                outputs = self._invoke(spec, node, inputs, main, params)
            except WaitUntil as wait:
                self._record(node, "waiting", attempt, iteration, inputs, None, started)
                raise _Parked(wait.when) from None
            except Exception as err:  # a node's failure is data, not a crash
                error = describe_error(err)
                self._record(node, "failed", attempt, iteration, inputs, None, started, error,
                             params=_first_rendering(params, main))
                if attempt < max_attempts:
                    self._backoff(node, attempt)
                    attempt += 1
                    continue
                return self._on_failure(node, spec, main, error)
            self._record(node, "succeeded", attempt, iteration, inputs, outputs, started,
                         params=_first_rendering(params, main))
            return outputs

    def _scope(self, frame: Frame, items: Items) -> dict[str, Any]:
        trigger = frame.get(self._start) or self.results.get(self._start) or {}
        trigger_items = trigger.get("main") or []
        return {
            "items": items,
            "trigger": trigger_items[0] if trigger_items else {},
            "nodes": NodesView(self.graph, frame),
            "run": self._run_scope,
            "now": filters.now,
        }

    def _invoke(self, spec: NodeSpec, node: NodeDef, inputs: dict[str, Items], main: Items,
                params: NodeParams) -> Outputs:
        """Call the node's `run`; in a thread when the node has its own time limit.

        Without one, the run's deadline is checked between nodes and through
        `ctx.cancelled()`, and the queue's job timeout is the hard stop: a thread per node
        would cost every step, and almost no node needs it.
        """
        from server.engine.context import NodeContext  # context imports executor types

        ctx = NodeContext(self, node, inputs)
        if node.timeout_s is None:
            return _normalise(spec.run(ctx, main, params), spec, node)
        limit = node.timeout_s
        if self.deadline is not None:
            limit = min(limit, max(self.deadline - time.monotonic(), 0.001))
        box: dict[str, Any] = {}

        def call() -> None:
            try:
                box["outputs"] = spec.run(ctx, main, params)
            except BaseException as err:  # re-raised in the caller
                box["error"] = err

        thread = threading.Thread(target=call, name=f"node-{node.id}", daemon=True)
        thread.start()
        thread.join(limit)
        if thread.is_alive():
            ctx.stop()
            raise NodeTimeout(f"{node.name} did not finish within {limit:g} s.")
        if "error" in box:
            raise box["error"]
        return _normalise(box["outputs"], spec, node)

    def _backoff(self, node: NodeDef, attempt: int) -> None:
        """Exponential backoff with full jitter; cancellation still takes effect."""
        base = float(node.retry.get("backoff_s", 1))
        ceiling = float(node.retry.get("max_backoff_s", 60))
        delay = min(ceiling, base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        until = time.monotonic() + delay
        while time.monotonic() < until:
            self._check_stop()
            time.sleep(min(0.2, max(until - time.monotonic(), 0)))

    def _on_failure(self, node: NodeDef, spec: NodeSpec, main: Items,
                    error: dict[str, Any]) -> Outputs:
        failed = [{**item, "error": error["message"]} for item in main] or [
            {"error": error["message"]}]
        if node.on_error == "continue":
            first = spec.output_ports(node.params)[:1] or ["main"]
            return {first[0]: failed}
        if node.on_error == "error_output":
            return {"error": failed}
        raise _Failed({**error, "node_id": node.id, "node_name": node.name})

    def _record(self, node: NodeDef, status: str, attempt: int, iteration: int | None,
                inputs: dict[str, Items], outputs: Outputs | None,
                started: datetime | None = None, error: dict[str, Any] | None = None,
                params: dict[str, Any] | None = None, origin: str = "ran") -> None:
        now = datetime.now(UTC)
        self.recorder.step_finished(StepRecord(
            node=node, status=status, attempt=attempt, iteration=iteration, input=inputs,
            output=outputs, started_at=started or now, finished_at=now, error=error,
            params=params, origin=origin,
        ))

    # -- loops ------------------------------------------------------------------------------

    def _run_loop(self, loop: NodeDef, inputs: dict[str, Items], frame: Frame,
                  iteration: int | None) -> None:
        """Run the loop body once per batch; "done" gets what the body sent back."""
        started = datetime.now(UTC)
        self.recorder.step_started(loop, iteration, 1)
        items = inputs.get("main", [])
        try:
            outputs = self._loop_batches(loop, items, frame)
        except _Failed as failed:
            self._record(loop, "failed", 1, iteration, inputs, None, started, failed.error)
            raise
        except _Cancelled as cancelled:
            self._record(loop, "failed", 1, iteration, inputs, None, started,
                         {"message": cancelled.reason})
            raise
        except _Parked:
            self._record(loop, "waiting", 1, iteration, inputs, None, started)
            raise
        frame[loop.id] = outputs
        self._record(loop, "succeeded", 1, iteration, inputs, outputs, started)

    def _loop_batches(self, loop: NodeDef, items: Items, frame: Frame) -> Outputs:
        # batch_size may be an expression; it is read once, against the first item.
        params = NodeParams(loop.params, self._scope(frame, items), self.graph.renderer(loop.id))
        size = _batch_size(params.value("batch_size", items[0] if items else None, 10))
        body = self.graph.loop_bodies[loop.id]
        body_order = self.graph.order(body)
        back_edges = [e for e in self.graph.incoming[loop.id] if e in self.graph.back_edges]
        returned: Items = []
        last: dict[str, Outputs] = {}
        parents = frame.maps if isinstance(frame, ChainMap) else [frame]
        for index, offset in enumerate(range(0, len(items), size)):
            local: dict[str, Outputs] = {loop.id: {"loop": items[offset:offset + size],
                                                   "done": []}}
            self._run_sequence(body_order, ChainMap(local, *parents), index)
            for edge in back_edges:
                returned.extend((local.get(edge.source) or {}).get(edge.source_port) or [])
            last = local
        for node_id in body:
            if node_id in last:
                frame[node_id] = last[node_id]
        return {"loop": [], "done": returned if back_edges else items}


def _batch_size(value: Any) -> int:
    try:
        return max(int(value or 10), 1)
    except (TypeError, ValueError):
        raise _Failed({"message": f"Loop batch size must be a whole number, not {value!r}.",
                       "type": "NodeError", "details": {}}) from None


def _normalise(outputs: Any, spec: NodeSpec, node: NodeDef) -> Outputs:
    if not isinstance(outputs, dict):
        raise NodeError(f"{node.name} returned {type(outputs).__name__}, not items per port.")
    for port, items in outputs.items():
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise NodeError(f"{node.name} returned something other than items on {port!r}.")
    return outputs


def _first_rendering(params: NodeParams, items: Items) -> dict[str, Any] | None:
    """The params as rendered for the first item: what the run history shows."""
    try:
        return params.render(items[0] if items else None)
    except Exception:  # the step's own error already tells the story
        return None
