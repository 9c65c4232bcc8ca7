"""Flowlane-wide settings people change in the UI. Each has a default from the environment
(see config.py); a value saved here wins. Declared once with its schema, so the API checks
input and the UI renders a form from the same description."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Config
from server.db import AppSetting
from server.errors import Invalid

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "run_retention_days": {
            "type": "integer", "minimum": 1, "maximum": 3650,
            "title": "Keep finished runs for (days)"},
        "run_retention_max_runs": {
            "type": "integer", "minimum": 100, "maximum": 10_000_000,
            "title": "Keep at most (runs)"},
        "failure_alerts": {
            "type": "boolean", "title": "Alert when a run fails",
            "description": "In the app, and by Slack or email when a connection is set below. "
                           "A workflow can turn it off or on for itself in its settings."},
        "failure_alert_slack_connection": {
            "type": "string", "maxLength": 200, "title": "Slack connection for failure alerts",
            "ui": {"options": "connections", "kind": "slack_webhook"}},
        "failure_alert_email_connection": {
            "type": "string", "maxLength": 200, "title": "Email connection for failure alerts",
            "ui": {"options": "connections", "kind": "smtp"}},
        "failure_alert_email_to": {
            "type": "string", "maxLength": 1000, "title": "Send failure alerts to",
            "description": "Email addresses, separated by commas."},
    },
}
_validator = Draft202012Validator(SCHEMA)

#: Setting name -> the Config field that gives its default.
_DEFAULTS = {name: name for name in SCHEMA["properties"]}


def current(session: Session, config: Config) -> dict[str, Any]:
    values = {name: getattr(config, field) for name, field in _DEFAULTS.items()}
    for row in session.scalars(select(AppSetting).where(AppSetting.key.in_(list(_DEFAULTS)))):
        values[row.key] = row.value
    return values


def update(session: Session, changes: Any) -> None:
    errors = sorted(_validator.iter_errors(changes), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.absolute_path) or "settings"
        raise Invalid(f"{where}: {first.message}.", errors=[
            {"pointer": "/" + "/".join(map(str, e.absolute_path)), "message": e.message}
            for e in errors])
    for key, value in changes.items():
        row = session.get(AppSetting, key)
        if row is None:
            session.add(AppSetting(key=key, value=value))
        else:
            row.value = value
