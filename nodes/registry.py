"""The node registry: every node type is declared once, here or through `@node`.

A declaration carries everything the editor and the engine need: the type id, the title and
group shown in the palette, the ports, a JSON Schema for the params (the editor renders its
form from it), the credential kind and the `run` function. `GET /api/nodes` serves
`catalogue()`; the executor looks types up with `get()`.

Nodes never import the web layer or the executor: they receive a `RunContext` and a `Params`
and return a list of items per output port.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import logging

    import httpx

Item = dict[str, Any]
Items = list[Item]
Outputs = dict[str, Items]

#: Palette groups in the order the editor shows them.
GROUPS = ("Triggers", "Logic", "Transform", "Flow", "HTTP", "Alerts", "Files", "Data")


class NodeError(Exception):
    """A failure the user should read: the message is shown on the node as it is.

    `details` carries what helps fixing it (an HTTP status and body, GHL's message list).
    """

    def __init__(self, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = dict(details or {})


class WaitUntil(Exception):
    """Raised by the Wait node: park the run until `when` (UTC) and continue then."""

    def __init__(self, when: datetime, items: Items) -> None:
        super().__init__(f"waiting until {when.isoformat()}")
        self.when = when
        self.items = items


class Params(Protocol):
    """A node's params, rendered on demand against an item (expressions are per item)."""

    raw: Mapping[str, Any]

    def render(self, item: Item | None = None, index: int = 0) -> dict[str, Any]:
        """Every param with its `{{ }}` expressions evaluated for `item`."""
        ...

    def value(self, name: str, item: Item | None = None, default: Any = None) -> Any:
        """One param evaluated for `item`; `default` when it is absent."""
        ...

    def evaluate(self, template: Any, item: Item | None = None, index: int = 0) -> Any:
        """Evaluate a value that holds expressions (e.g. one row of a rule table)."""
        ...


class RunContext(Protocol):
    """What a running node may use. The executor provides it; tests may too."""

    run_id: int
    workflow_id: int
    node_id: str
    node_name: str
    inputs: dict[str, Items]
    trigger_payload: Any
    credential: dict[str, Any] | None
    timezone: str
    log: logging.Logger

    @property
    def http(self) -> httpx.Client: ...

    def cancelled(self) -> bool:
        """True once the run was cancelled or timed out: long loops should stop."""
        ...

    def respond(self, status: int, body: Any, headers: Mapping[str, str]) -> None:
        """Answer the webhook request that started this run (Respond to webhook)."""
        ...

    def run_workflow(self, ref: int | str, items: Items, wait: bool) -> Items:
        """Run another workflow with `items` as its trigger data (Execute sub-workflow)."""
        ...

    def service(self, name: str) -> Any:
        """A service of the host running the node, by name ("tables", "files",
        "notifications", "state", ...). Its interface is declared beside the nodes that use
        it; a host without it raises NodeError."""
        ...


RunFn = Callable[[RunContext, Items, Params], Outputs]
PortsFn = Callable[[Mapping[str, Any]], list[str]]
#: Checks a schema cannot express: params -> [(JSON pointer under params, sentence)].
CheckFn = Callable[[Mapping[str, Any]], list[tuple[str, str]]]


@dataclass(frozen=True)
class NodeSpec:
    """One node type, declared once; the palette, the forms and the engine all read it."""

    type: str
    title: str
    group: str
    description: str
    run: RunFn
    params: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    inputs: tuple[str, ...] = ("main",)
    outputs: tuple[str, ...] = ("main",)
    #: For nodes whose ports depend on their params (Switch): params -> port names.
    dynamic_outputs: PortsFn | None = None
    #: Declarative form of `dynamic_outputs` for the editor: {"param", "key", "extra"}.
    outputs_from: dict[str, Any] | None = None
    credential: str | None = None
    #: False when the node works without a connection too (HTTP request, webhook secret).
    credential_required: bool = True
    #: Extra validation of the params, run when a workflow is validated.
    check: CheckFn | None = None
    icon: str = ""
    #: Trigger kind ("manual", "webhook", "schedule", "error", ...); None for other nodes.
    trigger: str | None = None
    #: Extra hints for the editor (option sources, placeholders); the engine ignores them.
    ui: dict[str, Any] = field(default_factory=dict)
    #: Free-form facts other parts read (a GHL operation's method, path, scopes, ...).
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_trigger(self) -> bool:
        return self.trigger is not None

    def output_ports(self, params: Mapping[str, Any] | None = None) -> list[str]:
        """The output port names for these params (static for most nodes)."""
        if self.dynamic_outputs is not None:
            return self.dynamic_outputs(params or {})
        return list(self.outputs)

    def describe(self) -> dict[str, Any]:
        """The catalogue entry the editor renders palette items and forms from."""
        return {
            "type": self.type,
            "title": self.title,
            "group": self.group,
            "description": self.description,
            "icon": self.icon,
            "inputs": [] if self.is_trigger else list(self.inputs),
            "outputs": list(self.outputs),
            "outputs_from": self.outputs_from,
            "params": self.params,
            "credential": self.credential,
            "credential_required": self.credential_required,
            "trigger": self.trigger,
            "ui": self.ui,
        }


@dataclass(frozen=True)
class CredentialKind:
    """A kind of connection (an API key, an OAuth app, basic auth...), declared once.

    `schema` is the form; fields marked `"secret": true` are encrypted like the rest but never
    shown again once saved. `family` lets a node accept several kinds ("http" takes basic,
    bearer or header auth).
    """

    id: str
    title: str
    schema: dict[str, Any]
    family: str = ""
    description: str = ""
    #: Optional check before saving: data -> None when fine, else a sentence.
    test: Callable[[dict[str, Any]], str | None] | None = None

    def secret_fields(self) -> set[str]:
        properties = self.schema.get("properties", {})
        return {name for name, field in properties.items() if field.get("secret")}

    def accepts(self, wanted: str) -> bool:
        return wanted in (self.id, self.family)

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "family": self.family,
                "description": self.description, "schema": self.schema}


_registry: dict[str, NodeSpec] = {}
_kinds: dict[str, CredentialKind] = {}
_loaded = False

#: Packages whose modules declare nodes; each module registers on import.
NODE_PACKAGES = ("nodes.core", "nodes.ghl")


def register(spec: NodeSpec) -> NodeSpec:
    """Add a node type. Type ids are unique: a second declaration is a programming error."""
    if spec.type in _registry and _registry[spec.type] is not spec:
        raise ValueError(f"node type {spec.type!r} is declared twice")
    _registry[spec.type] = spec
    return spec


def credential_kind(kind: CredentialKind) -> CredentialKind:
    if kind.id in _kinds and _kinds[kind.id] is not kind:
        raise ValueError(f"credential kind {kind.id!r} is declared twice")
    _kinds[kind.id] = kind
    return kind


def credential_kinds() -> list[CredentialKind]:
    load_all()
    return sorted(_kinds.values(), key=lambda kind: kind.title)


def get_credential_kind(kind_id: str) -> CredentialKind | None:
    load_all()
    return _kinds.get(kind_id)


def node(
    *, type: str, title: str, group: str, description: str = "", **fields: Any
) -> Callable[[RunFn], RunFn]:
    """Declare a node type around its `run` function (one module, one node)."""

    def wrap(run: RunFn) -> RunFn:
        register(
            NodeSpec(
                type=type,
                title=title,
                group=group,
                description=description or (run.__doc__ or "").strip().split("\n")[0],
                run=run,
                **fields,
            )
        )
        return run

    return wrap


def load_all() -> None:
    """Import every node module once, so each registers itself."""
    global _loaded
    if _loaded:
        return
    for package_name in NODE_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(module.name)
    _loaded = True


def get(node_type: str) -> NodeSpec | None:
    load_all()
    return _registry.get(node_type)


def all_specs() -> Iterable[NodeSpec]:
    load_all()
    return _registry.values()


def catalogue() -> list[dict[str, Any]]:
    """Every node type, grouped and ordered as the palette shows them."""
    def order(spec: NodeSpec) -> tuple[int, str, str]:
        rank = GROUPS.index(spec.group) if spec.group in GROUPS else len(GROUPS)
        return (rank, spec.group, spec.title)

    return [spec.describe() for spec in sorted(all_specs(), key=order)]
