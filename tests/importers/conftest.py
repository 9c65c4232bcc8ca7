"""Fixtures for the n8n importer: the n8n workflows in fixtures/, imported through the API and
run on a real worker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import wait_for_run

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str, replace: dict[str, str] | None = None) -> Any:
    """An n8n fixture, with text replaced (e.g. the API host by a local receiver's URL)."""
    text = (FIXTURES / name).read_text()
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    return json.loads(text)


def fixture_names() -> list[str]:
    return sorted(path.name for path in FIXTURES.glob("*.json"))


def import_n8n(api: Any, data: Any) -> dict[str, Any]:
    response = api.post("/api/import/n8n", json=data)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def node_named(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(node for node in document["nodes"] if node["name"] == name)


class Runner:
    """Run an imported workflow on the worker; steps come back keyed by node name."""

    def __init__(self, api: Any, svc: Any) -> None:
        self.api, self.svc = api, svc

    def __call__(self, imported: dict[str, Any], payload: Any = None) -> tuple[Any, dict]:
        workflow = imported["workflow"]
        started = self.api.post(f"/api/workflows/{workflow['id']}/run", json={"input": payload})
        assert started.status_code == 202, started.get_json()
        run = wait_for_run(self.svc, started.get_json()["run_id"], timeout=60)
        detail = self.api.get(f"/api/runs/{run.id}").get_json()
        names = {node["id"]: node["name"] for node in workflow["document"]["nodes"]}
        steps = {names[step["node_id"]]: step for step in detail["steps"]
                 if step["iteration"] is None}
        return run, steps


@pytest.fixture
def run_imported(api: Any, svc: Any) -> Runner:
    return Runner(api, svc)
