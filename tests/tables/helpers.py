"""Helpers for the data-table tests: tables, rows and workflows made through the API."""

from __future__ import annotations

from typing import Any

DEALS_COLUMNS = [
    {"name": "name", "type": "text"},
    {"name": "stage", "type": "text"},
    {"name": "value", "type": "money"},
    {"name": "close_date", "type": "date"},
    {"name": "won", "type": "boolean"},
    {"name": "extra", "type": "json"},
    {"name": "code", "type": "text"},
]


def make_table(api: Any, name: str = "Deals", columns: list[dict[str, Any]] | None = None,
               key_column: str | None = "code") -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "columns": columns or DEALS_COLUMNS}
    if key_column:
        body["key_column"] = key_column
    response = api.post("/api/tables", json=body)
    assert response.status_code == 201, response.json
    return response.json


def add_row(api: Any, table_id: int, trigger: bool = True, **values: Any) -> dict[str, Any]:
    response = api.post(f"/api/tables/{table_id}/rows",
                        json={"values": values, "trigger_workflows": trigger})
    assert response.status_code == 201, response.json
    return response.json


def create_workflow(api: Any, document: dict[str, Any], activate: bool = False) -> int:
    response = api.post("/api/workflows", json={"document": document})
    assert response.status_code == 201, response.json
    workflow_id = response.json["id"]
    if activate:
        response = api.post(f"/api/workflows/{workflow_id}/activate")
        assert response.status_code == 200, response.json
    return workflow_id


def run_now(api: Any, workflow_id: int, payload: Any = None) -> int:
    response = api.post(f"/api/workflows/{workflow_id}/run", json={"input": payload})
    assert response.status_code == 202, response.json
    return response.json["run_id"]
