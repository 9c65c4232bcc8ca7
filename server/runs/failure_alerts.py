"""Failure alerts: when a run fails, tell people in the app and, when configured, on Slack
and by email. On by default; a workflow's settings may turn it off (or on) for itself."""

from __future__ import annotations

import logging
from typing import Any

from nodes.core.alert_channels import addresses, send_email, send_slack
from nodes.registry import NodeError
from server import notifications, settings
from server.credentials import load_by_name
from server.db import Run
from server.services import Services

log = logging.getLogger("flowlane.alerts")


def alert_failure(svc: Services, session: Any, run: Run, workflow_settings: dict[str, Any],
                  workflow_name: str) -> None:
    """Best effort: an alert that cannot be sent is logged, it never fails the run's end."""
    current = settings.current(session, svc.config)
    enabled = workflow_settings.get("failure_alerts")
    if enabled is None:
        enabled = current["failure_alerts"]
    if not enabled:
        return
    message = (run.error or {}).get("message", "no message")
    node = (run.error or {}).get("node_name")
    title = f"{workflow_name} failed" + (f" at {node}" if node else "")
    link = f"{svc.config.base_url}/runs/{run.id}"
    notifications.notify(svc, session, title, message, "error", f"/runs/{run.id}",
                         run_id=run.id)
    text = f":red_circle: *{title}*\n{message}\n<{link}|Open run {run.id}>"
    for channel, send in (("slack", _slack), ("email", _email)):
        try:
            send(svc, current, title, message, text, link)
        except NodeError as err:
            log.warning("failure alert by %s for run %s not sent: %s", channel, run.id, err)


def _slack(svc: Services, current: dict[str, Any], title: str, message: str, text: str,
           link: str) -> None:
    name = current.get("failure_alert_slack_connection")
    if not name:
        return
    connection = load_by_name(svc, name)
    if connection is None:
        raise NodeError(f"there is no connection {name!r}")
    send_slack(svc.http, str(connection.get("webhook_url")), text)


def _email(svc: Services, current: dict[str, Any], title: str, message: str, text: str,
           link: str) -> None:
    name, recipients = current.get("failure_alert_email_connection"), current.get(
        "failure_alert_email_to")
    if not name or not recipients:
        return
    connection = load_by_name(svc, name)
    if connection is None:
        raise NodeError(f"there is no connection {name!r}")
    send_email(connection, addresses(recipients), f"[Flowlane] {title}",
               f"{message}\n\nOpen the run: {link}\n")
