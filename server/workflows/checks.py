"""Validation with what only the server knows: the engine's report plus warnings about the
connections a document names (a HighLevel connection missing a scope a step needs).

The engine validates documents alone (the CLI validates files without a database); the API
answers with this fuller report wherever it shows problems to a person.
"""

from __future__ import annotations

from typing import Any

from nodes.ghl.scopes import scope_warnings
from server.credentials import load_by_name
from server.engine.validate import Problem, Report, validate


def connection_warnings(svc: Any, document: Any) -> list[Problem]:
    """Warnings for a valid document; nothing for one the engine already refuses."""
    return [Problem(message, pointer, node_id, "warning") for node_id, pointer, message
            in scope_warnings(document, lambda name: load_by_name(svc, name))]


def validate_with_connections(svc: Any, document: Any) -> Report:
    report = validate(document)
    if report.ok:
        report.problems.extend(connection_warnings(svc, document))
    return report
