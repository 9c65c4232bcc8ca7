"""`flowlane run`: save the file (or find the id), start the run, follow it step by step."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy import select

from server.db import Run, Step, Workflow
from server.errors import FlowlaneError
from server.runs.recorder import step_summary
from server.runs.start import start_run
from server.services import Services
from server.workflows import store

_MARKS = {"succeeded": "✓", "failed": "✗", "waiting": "…", "cancelled": "■"}
FINISHED = ("succeeded", "failed", "cancelled")


def prepare(svc: Services, target: str, payload: Any,
            load_file: Callable[[str], Any]) -> int:
    """The run id of a new manual run of `target` (a workflow id or a workflow file)."""
    try:
        workflow_id = int(target) if target.isdigit() else _save_file(svc, load_file(target))
        return start_run(svc, workflow_id, kind="manual", payload=payload,
                         version="current").id
    except FlowlaneError as err:
        for problem in err.extra.get("errors", []):
            click.echo(f"  error {problem.get('pointer') or '/'}: {problem['message']}",
                       err=True)
        raise click.ClickException(err.detail) from None


def _save_file(svc: Services, document: Any) -> int:
    """The file's workflow: found by name and saved (a new version only if it changed)."""
    store.check(document)
    with svc.db.session() as session:
        workflow = session.scalars(select(Workflow).where(Workflow.name == document["name"])
                                   .order_by(Workflow.id)).first()
        if workflow is None:
            workflow = store.create(session, document)
            click.echo(f"created workflow {workflow.id}: {workflow.name}")
        else:
            version = store.save(session, workflow, document)
            click.echo(f"workflow {workflow.id}: {workflow.name} (version {version.number})")
        session.commit()
        return workflow.id


def follow(svc: Services, run_id: int, timeout: float) -> str:
    """Print each step as the workers record it; the run's final status."""
    deadline = time.monotonic() + timeout
    seen = 0
    warned = False
    while time.monotonic() < deadline:
        with svc.db.session() as session:
            run = session.get(Run, run_id)
            if run is None:
                click.echo("run finished and was not kept (the workflow saves no runs)")
                return "succeeded"
            steps = session.scalars(select(Step).where(Step.run_id == run_id)
                                    .order_by(Step.id).offset(seen)).all()
            for step in steps:
                print_step(step_summary(step))
            seen += len(steps)
            status = run.status
            if status in FINISHED:
                message = f"run {run_id} {status}"
                if run.error:
                    message += f": {run.error.get('message')}"
                click.echo(message, err=status != "succeeded")
                return status
            if status == "queued" and not warned and time.monotonic() > deadline - timeout + 5:
                warned = True
                click.echo("still queued: is a worker running? (`flowlane worker` or "
                           "`flowlane up`)", err=True)
        time.sleep(0.2)
    click.echo(f"gave up waiting after {timeout:g} s; the run goes on", err=True)
    return "timeout"


def print_step(step: dict[str, Any]) -> None:
    """One line per step: mark, name, loop iteration, attempt, duration, counts, error."""
    counts = ", ".join(f"{port}: {n}" for port, n in (step.get("output_counts") or {}).items())
    duration = f" {step['duration_ms']} ms" if step.get("duration_ms") is not None else ""
    where = f" #{step['iteration'] + 1}" if step.get("iteration") is not None else ""
    attempt = f" (attempt {step['attempt']})" if (step.get("attempt") or 1) > 1 else ""
    line = f"{_MARKS.get(step['status'], '·')} {step['node_name']}{where}{attempt}{duration}"
    if counts:
        line += f"  [{counts}]"
    error = step.get("error")
    if error:
        line += f"  {error.get('message') if isinstance(error, dict) else error}"
    click.echo(line)
