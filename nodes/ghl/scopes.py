"""Which scopes a workflow's HighLevel nodes need that their connections were not granted.

HighLevel answers a missing scope with a 401 at run time; this finds it before a run. Workflow
validation has no connections at hand, so its host calls `scope_warnings` with a way to load
one (see nodes/ghl/QUALITY.md); Test connection uses the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nodes import registry
from nodes.ghl.auth import KINDS, Connection

Warning_ = tuple[str, str, str]  # node id, JSON pointer, sentence


def needed(node_type: str) -> list[str]:
    spec = registry.get(node_type)
    return list(spec.meta.get("scopes") or []) if spec is not None else []


def scope_warnings(document: dict[str, Any],
                   load: Callable[[str], dict[str, Any] | None]) -> list[Warning_]:
    """(node id, pointer, sentence) for each GHL node whose connection lacks a scope it needs.

    `load(name)` returns the decrypted connection (or None). Connections that do not list
    their scopes (a PIT whose owner did not say) are not judged.
    """
    warnings: list[Warning_] = []
    cache: dict[str, list[str] | None] = {}
    for index, node in enumerate(document.get("nodes") or []):
        name = node.get("credential")
        wanted = needed(str(node.get("type")))
        if not name or not wanted or node.get("disabled"):
            continue
        if name not in cache:
            data = load(name)
            cache[name] = (Connection.of(data).granted_scopes()
                           if data and data.get("kind") in KINDS else None)
        granted = cache[name]
        if granted is None:
            continue
        missing = sorted(set(wanted) - set(granted))
        if missing:
            warnings.append((str(node.get("id")), f"/nodes/{index}/credential",
                             f"{node.get('name')}: the connection {name!r} was not granted "
                             f"{', '.join(missing)}; HighLevel will refuse this step (401). "
                             "Add the scope and connect again."))
    return warnings
