"""Public webhook endpoints: `/webhook/<path>` starts the workflow whose active webhook
trigger listens there. The run is committed before the caller gets an answer."""

from __future__ import annotations

import hmac
import json
import time
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy import bindparam, select

from server import keys
from server.api.base import db, doc, services
from server.credentials import load_by_name
from server.db import WebhookRoute, Workflow
from server.errors import BadRequest, NotFound, TooLarge, Unauthorized
from server.runs.start import create_run, enqueue
from server.workflows import versions

bp = Blueprint("hooks", __name__)

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
#: Longest single wait for a workflow's answer (below the Redis client's socket timeout).
WAIT_SLICE_S = 2.0
#: The one query a call costs, built once; the version's graph comes from the per-process
#: cache (versions never change).
ROUTE = (
    select(WebhookRoute.workflow_id, WebhookRoute.node_id, Workflow.active_version_id)
    .join(Workflow, Workflow.id == WebhookRoute.workflow_id)
    .where(WebhookRoute.method == bindparam("method"), WebhookRoute.path == bindparam("path"))
)
#: Headers whose values never reach run data: they carry credentials.
REDACTED_HEADERS = {"authorization", "cookie", "proxy-authorization", "x-api-key"}


@bp.route("/webhook/<path:path>", methods=METHODS)
@doc("Start the workflow listening on this path", tag="webhooks",
     responses={202: "Run queued", 200: "Answered by the workflow", 401: "Bad secret",
                404: "No active workflow here", 413: "Body too large"})
def workflow_webhook(path: str) -> Response | tuple[dict[str, Any], int]:
    svc = services()
    if (request.content_length or 0) > svc.config.webhook_max_bytes:
        raise TooLarge(f"The body is larger than {svc.config.webhook_max_bytes} bytes.")
    session = db()
    found = session.execute(ROUTE, {"method": request.method, "path": path.strip("/")}).first()
    if found is None or found.active_version_id is None:
        raise NotFound(f"No active workflow listens on {request.method} /webhook/{path}.")
    node = versions.graph(session, found.active_version_id).nodes[found.node_id]
    secret_header = _check_secret(node.credential)
    payload = {
        "method": request.method,
        "path": path,
        "query": request.args.to_dict(),
        "headers": _safe_headers(secret_header),
        "body": _body(svc.config.webhook_max_bytes),
    }
    run = create_run(session, found.workflow_id, found.active_version_id, kind="webhook",
                     trigger_node=found.node_id, payload=payload)
    session.commit()
    enqueue(svc, run)
    if node.params.get("respond") == "respond_node":
        return _await_response(run.id)
    return {"run_id": run.id, "status": "queued"}, 202


def _check_secret(credential_name: str | None) -> str | None:
    """The secret header's name when the trigger has one; 401 when the call lacks it."""
    if not credential_name:
        return None
    secret = load_by_name(services(), credential_name)
    if secret is None:
        raise Unauthorized("This webhook's secret is not configured; ask its owner.")
    header = str(secret.get("header", "X-Webhook-Secret"))
    given = request.headers.get(header, "")
    if not hmac.compare_digest(given.encode(), str(secret.get("value", "")).encode()):
        raise Unauthorized(f"The {header} header is missing or wrong.")
    return header.lower()


def _safe_headers(secret_header: str | None) -> dict[str, str]:
    hidden = REDACTED_HEADERS | ({secret_header} if secret_header else set())
    return {name: ("[redacted]" if name.lower() in hidden else value)
            for name, value in request.headers.items()}


def _body(limit: int) -> Any:
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise TooLarge(f"The body is larger than {limit} bytes.")
    if not raw:
        return {}
    if request.is_json:
        try:
            return json.loads(raw)
        except ValueError as err:
            raise BadRequest(f"The body is not valid JSON: {err}.") from None
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.form.to_dict()
    return raw.decode("utf-8", errors="replace")


def _await_response(run_id: int) -> Response | tuple[dict[str, Any], int]:
    """Wait for the run's 'Respond to webhook' node (or its end), up to the configured limit."""
    svc = services()
    deadline = time.monotonic() + svc.config.webhook_response_timeout
    found = None
    # In slices shorter than the Redis client's socket timeout (5 s): one long BLPOP would
    # outlast it and end in a client-side timeout instead of an answer.
    while found is None and (left := deadline - time.monotonic()) > 0:
        found = svc.redis.blpop([keys.run_response(run_id)], timeout=min(left, WAIT_SLICE_S))
    if found is None:
        return {"run_id": run_id, "status": "running",
                "detail": "The workflow did not respond in time; it is still running."}, 202
    message = json.loads(found[1])
    body = message.get("body")
    headers = {str(k): str(v) for k, v in (message.get("headers") or {}).items()}
    if isinstance(body, str):
        return Response(body, status=message["status"], headers=headers,
                        mimetype=headers.get("Content-Type", "text/plain"))
    return Response(json.dumps(body), status=message["status"], headers=headers,
                    mimetype="application/json")
