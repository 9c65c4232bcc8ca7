"""`RunContext` as the executor provides it to a running node."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from nodes import registry
from nodes.registry import Items, NodeError
from server.engine.graph import NodeDef

if TYPE_CHECKING:
    from server.engine.executor import Executor


class NodeContext:
    """Implements `nodes.registry.RunContext` for one node invocation."""

    def __init__(self, executor: Executor, node: NodeDef, inputs: dict[str, Items]) -> None:
        self._executor = executor
        self._node = node
        self._stopped = False
        self.run_id = executor.run.id
        self.workflow_id = executor.run.workflow_id
        self.node_id = node.id
        self.node_name = node.name
        self.inputs = inputs
        self.trigger_payload = executor.trigger_payload
        self.timezone = executor.run.timezone
        self.log = logging.getLogger(f"flowlane.node.{node.type}")
        self._credential: dict[str, Any] | None = None

    @property
    def credential(self) -> dict[str, Any] | None:
        """The node's connection, decrypted on first use (None when it has none)."""
        if self._node.credential and self._credential is None:
            self._credential = self._executor.services.credential(self._node.credential)
            if self._credential is None:
                raise NodeError(f"The connection {self._node.credential!r} does not exist.")
            kind = registry.get_credential_kind(str(self._credential.get("kind")))
            self._executor.redactor.add_credential(
                self._credential, kind.secret_fields() if kind else set(self._credential))
        return self._credential

    @property
    def http(self) -> httpx.Client:
        return self._executor.services.http

    def stop(self) -> None:
        """Called when the node's time is up: `cancelled()` turns true."""
        self._stopped = True

    def cancelled(self) -> bool:
        executor = self._executor
        return self._stopped or executor.past_deadline() or executor.recorder.cancel_requested()

    def respond(self, status: int, body: Any, headers: Mapping[str, str]) -> None:
        self._executor.services.respond(self.run_id, status, body, headers)

    def run_workflow(self, ref: int | str, items: Items, wait: bool) -> Items:
        return self._executor.services.run_workflow(self._executor.run, ref, items, wait)

    def service(self, name: str) -> Any:
        return self._executor.services.service(name, self._executor.run, self.node_id)
