"""`flowlane import --from n8n FILE`: the import on the local database, or through a remote
server's POST /api/import/n8n (with --server), printing the import report either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import httpx

from server.importers.n8n import NotAnN8nWorkflow, TooBig, convert
from server.importers.n8n.report import Attention, Credential, ImportReport, NodeEntry

MAX_BYTES = 5 * 1024 * 1024


def read_file(path: str) -> Any:
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise click.ClickException(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                                       "that is not an n8n workflow export.")
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise click.ClickException(f"Cannot read {path}: {err.strerror}.") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not a text file.") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        raise click.ClickException(f"{path} is not valid JSON: {err}.") from None


def import_local(path: str, activate: bool, services: Any) -> None:
    """Convert, print the report, and save the workflow when it validates."""
    from server import audit
    from server.workflows import activation, store

    try:
        result = convert(read_file(path))
    except (NotAnN8nWorkflow, TooBig) as err:
        raise click.ClickException(f"{path}: {err}") from None
    _print(result.report.lines(), result.report.validation)
    if not result.ok:
        raise click.ClickException(f"{path}: not imported, the converted workflow has "
                                   f"{len(result.report.validation['errors'])} error(s)")
    svc = services()
    with svc.db.session() as session:
        workflow = store.create(session, result.document)
        audit.record(session, "imported", "workflow", workflow.id, name=workflow.name,
                     source="n8n")
        if activate:
            activation.activate(session, workflow)
        session.commit()
        click.echo(f"imported workflow {workflow.id}: {workflow.name}")


def import_remote(path: str, activate: bool, remote: Any) -> None:
    """POST the file to the server's n8n import and print the report it answers with."""
    document = read_file(path)
    try:
        response = remote.http.post("/api/import/n8n", json=document)
    except httpx.HTTPError as err:
        raise click.ClickException(f"Cannot reach the server: {err}") from None
    try:
        body = response.json()
    except ValueError:
        raise click.ClickException(f"The server answered {response.status_code}.") from None
    report = body.get("report") if isinstance(body, dict) else None
    if isinstance(report, dict):
        _print(_report_lines(report), report.get("validation") or {})
    if response.status_code >= 400:
        raise click.ClickException(body.get("detail") or str(response.status_code))
    workflow = body["workflow"]
    if activate:
        remote.call("POST", f"/api/workflows/{workflow['id']}/activate")
    click.echo(f"imported workflow {workflow['id']}: {workflow['name']}")


def _report_lines(report: dict[str, Any]) -> list[str]:
    """The server's report (JSON) printed like a local one."""
    local = ImportReport(source_name=str(report.get("source", {}).get("name", "")))
    local.nodes = [NodeEntry(**entry) for entry in report.get("nodes", [])]
    local.attention = [Attention(**entry) for entry in report.get("attention", [])]
    local.credentials = [Credential(**entry) for entry in report.get("credentials", [])]
    expressions = report.get("expressions", {})
    local.translated_count = int(report.get("summary", {}).get("expressions_translated", 0))
    local.untranslated = list(expressions.get("untranslated", []))
    return local.lines()


def _print(lines: list[str], validation: dict[str, Any]) -> None:
    for line in lines:
        click.echo(line)
    for problem in validation.get("errors", []) + validation.get("warnings", []):
        where = f" [{problem.get('node_id')}]" if problem.get("node_id") else ""
        click.echo(f"  {problem.get('severity')}{where} {problem.get('pointer') or '/'}: "
                   f"{problem.get('message')}")
