"""The CLI against a Flowlane server over its REST API (`--server URL --token TOKEN`, or
FLOWLANE_SERVER and FLOWLANE_TOKEN), for machines without database access."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import click
import httpx

from server.cli_run import FINISHED, print_step


class Remote:
    def __init__(self, server: str, token: str | None) -> None:
        if not token:
            raise click.ClickException("--server needs --token (or FLOWLANE_TOKEN): create "
                                       "one under your profile or with POST /api/tokens.")
        self.http = httpx.Client(base_url=server.rstrip("/"), timeout=60,
                                 headers={"Authorization": f"Bearer {token}"})

    def call(self, method: str, path: str, **options: Any) -> Any:
        try:
            response = self.http.request(method, path, **options)
        except httpx.HTTPError as err:
            raise click.ClickException(f"Cannot reach the server: {err}") from None
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                raise click.ClickException(f"The server answered {response.status_code}.") \
                    from None
            for entry in problem.get("errors", []):
                click.echo(f"  error {entry.get('pointer') or '/'}: {entry['message']}", err=True)
            raise click.ClickException(problem.get("detail") or str(response.status_code))
        return response.json() if response.content else None

    def import_(self, document: Any, activate: bool) -> dict[str, Any]:
        workflow = self.call("POST", "/api/workflows/import", json=document)["workflow"]
        if activate:
            self.call("POST", f"/api/workflows/{workflow['id']}/activate")
        return workflow  # type: ignore[no-any-return]

    def export(self, workflow_id: int) -> Any:
        return self.call("GET", f"/api/workflows/{workflow_id}/export")

    def validate(self, document: Any) -> dict[str, Any]:
        return self.call("POST", "/api/workflows/validate", json=document)  # type: ignore

    def run(self, target: str, payload: Any, load_file: Callable[[str], Any]) -> int:
        if target.isdigit():
            workflow_id = int(target)
        else:
            document = load_file(target)
            name = document.get("name", "") if isinstance(document, dict) else ""
            found = [w for w in self.call("GET", "/api/workflows", params={"q": name})
                     ["workflows"] if w["name"] == name]
            if found:
                workflow_id = found[0]["id"]
                saved = self.call("PUT", f"/api/workflows/{workflow_id}",
                                  json={"document": document})
                click.echo(f"workflow {workflow_id}: {name} (version {saved['saved_version']})")
            else:
                workflow_id = self.call("POST", "/api/workflows", json={"document": document})[
                    "id"]
                click.echo(f"created workflow {workflow_id}: {name}")
        started = self.call("POST", f"/api/workflows/{workflow_id}/run",
                            json={"input": payload, "version": "current"})
        return int(started["run_id"])

    def follow(self, run_id: int, timeout: float) -> str:
        deadline, printed = time.monotonic() + timeout, 0
        while time.monotonic() < deadline:
            detail = self.call("GET", f"/api/runs/{run_id}")
            for step in detail["steps"][printed:]:
                print_step(step)
            printed = len(detail["steps"])
            if detail["status"] in FINISHED:
                message = f"run {run_id} {detail['status']}"
                if detail.get("error"):
                    message += f": {detail['error'].get('message')}"
                click.echo(message, err=detail["status"] != "succeeded")
                return str(detail["status"])
            time.sleep(0.5)
        click.echo(f"gave up waiting after {timeout:g} s; the run goes on", err=True)
        return "timeout"
