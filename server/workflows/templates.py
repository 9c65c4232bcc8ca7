"""Templates: the example workflows in `workflows/examples/`, offered to start from.

A template's id is its file's name without `.json`; its name and description are the
document's own; its group is "HighLevel" when a step talks to HighLevel, else "Core"; it
requires the connection kinds its steps need ("ghl", "smtp", "slack_webhook", ...).
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from nodes import registry
from server.errors import NotFound

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "workflows" / "examples"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


def catalogue(directory: Path = EXAMPLES_DIR) -> list[dict[str, Any]]:
    """Every template, HighLevel ones first, then by name."""
    found = [describe(path.stem, _read(path)) for path in sorted(directory.glob("*.json"))]
    return sorted(found, key=lambda t: (t["group"] != "HighLevel", t["group"], t["name"]))


def document(template_id: str, directory: Path = EXAMPLES_DIR) -> dict[str, Any]:
    """The template's workflow document; NotFound for an id that names no template."""
    path = directory / f"{template_id}.json"
    if not _ID.match(template_id) or not path.is_file():
        raise NotFound(f"There is no template {template_id!r}.")
    return _read(path)


def fresh_webhook_paths(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a random suffix on each webhook trigger's path: a template used
    twice must not make two workflows that want the same URL, and a URL copied from an
    example would be easy to guess."""
    for node in document.get("nodes") or []:
        params = node.get("params") if isinstance(node, dict) else None
        if isinstance(params, dict) and node.get("type") == "core.trigger.webhook":
            path = str(params.get("path") or "hook").strip("/")
            params["path"] = f"{path}-{secrets.token_hex(6)}"
    return document


def describe(template_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    nodes = [n for n in doc.get("nodes") or [] if isinstance(n, dict)]
    types = [str(n.get("type") or "") for n in nodes]
    return {
        "id": template_id,
        "name": str(doc.get("name") or template_id),
        "description": str(doc.get("description") or ""),
        "group": "HighLevel" if any(t.startswith("ghl.") for t in types) else "Core",
        "node_count": len(nodes),
        "requires": _requires(nodes),
    }


def _requires(nodes: list[dict[str, Any]]) -> list[str]:
    """The connection kinds the steps need, in the order they first appear."""
    kinds: list[str] = []
    for step in nodes:
        spec = registry.get(str(step.get("type") or ""))
        if spec is None or not spec.credential:
            continue
        if (spec.credential_required or step.get("credential")) and spec.credential not in kinds:
            kinds.append(spec.credential)
    return kinds


def _read(path: Path) -> dict[str, Any]:
    loaded = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise ValueError(f"{path.name} is not a workflow document")
    return loaded
