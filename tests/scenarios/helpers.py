"""Shared steps of the scenario tests: the preset tables, rows, example workflows, runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.db import Run
from tests.ghl.helpers import main
from tests.helpers import load_example, wait_for_run


def preset(api: Any, name: str = "opportunities") -> int:
    answer = api.post(f"/api/tables/presets/{name}")
    assert answer.status_code in (200, 201), answer.json
    return int(answer.json["id"])


def add_row(api: Any, table_id: int, silent: bool = False, **values: Any) -> dict[str, Any]:
    answer = api.post(f"/api/tables/{table_id}/rows",
                      json={"values": values, "trigger_workflows": not silent})
    assert answer.status_code == 201, answer.json
    return dict(answer.json)


def rows(api: Any, table_id: int) -> list[dict[str, Any]]:
    return list(api.get(f"/api/tables/{table_id}/rows?limit=1000").json["rows"])


def row(api: Any, table_id: int, row_id: int) -> dict[str, Any]:
    return dict(api.get(f"/api/tables/{table_id}/rows/{row_id}").json)


def imported(api: Any, name: str, activate: bool = False,
             **changes: dict[str, Any]) -> int:
    """Import an example, with some nodes' params changed; optionally activate it."""
    document = load_example(name)
    for node in document["nodes"]:
        node["params"].update(changes.get(node["id"], {}))
    answer = api.post("/api/workflows/import", json=document)
    assert answer.status_code == 201, answer.json
    workflow_id = int(answer.json["workflow"]["id"])
    if activate:
        activated = api.post(f"/api/workflows/{workflow_id}/activate")
        assert activated.status_code == 200, activated.json
    return workflow_id


def run_now(api: Any, svc: Any, workflow_id: int, trigger: str | None = None,
            payload: Any = None, timeout: float = 60) -> tuple[Run, dict[str, Any]]:
    body: dict[str, Any] = {"input": payload}
    if trigger:
        body["trigger_node"] = trigger
    started = api.post(f"/api/workflows/{workflow_id}/run", json=body)
    assert started.status_code == 202, started.json
    run = wait_for_run(svc, started.json["run_id"], timeout=timeout)
    return run, steps(api, run.id)


def steps(api: Any, run_id: int) -> dict[str, Any]:
    return {s["node_id"]: s for s in api.get(f"/api/runs/{run_id}").json["steps"]
            if s["iteration"] is None}


def runs_of(svc: Any, workflow_id: int) -> list[int]:
    with svc.db.session() as session:
        return list(session.scalars(select(Run.id).where(Run.workflow_id == workflow_id)
                                    .order_by(Run.id)))


def pipelines(node: Any) -> list[dict[str, Any]]:
    return main(node("ghl.opportunities.pipelines", {}))


def stage_named(node: Any, pipeline_name: str, stage_name: str) -> tuple[str, str]:
    """(pipeline id, stage id) of a seeded stage."""
    pipeline = next(p for p in pipelines(node) if p["name"] == pipeline_name)
    stage = next(s for s in pipeline["stages"] if s["name"] == stage_name)
    return pipeline["id"], stage["id"]


def opportunity(node: Any, opportunity_id: str) -> dict[str, Any]:
    return main(node("ghl.opportunities.get", {"id": opportunity_id}))[0]
