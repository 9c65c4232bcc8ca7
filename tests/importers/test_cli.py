"""`flowlane import --from n8n FILE`, run as a user runs it (a real process), locally and
against a remote server with an API token."""

from __future__ import annotations

import json
import re

from server.db import Workflow
from tests.importers.conftest import FIXTURES
from tests.test_cli import flowlane


def count(svc):
    with svc.db.session() as session:
        return session.query(Workflow).count()


def test_import_prints_the_report_and_saves_the_workflow(app, config, svc):
    result = flowlane(config, "import", "--from", "n8n", str(FIXTURES / "unsupported.json"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "n8n workflow 'Code and community nodes': 3 of 5 nodes mapped, 2 need attention" in out
    assert "✓ Hot (n8n-nodes-base.noOp v1) -> core.noop" in out
    assert "! Clean up (n8n-nodes-base.code v2) -> core.needs_attention" in out
    assert "Needs attention:" in out and "community node" in out
    assert "Connections to set up:" in out and "'Lead scorer'" in out
    workflow_id = re.search(r"imported workflow (\d+): Code and community nodes", out).group(1)
    exported = json.loads(flowlane(config, "export", workflow_id).stdout)
    assert exported["meta"]["imported_from"] == "n8n"


def test_import_can_activate(app, config, api):
    result = flowlane(config, "import", "--from", "n8n", "--activate",
                      str(FIXTURES / "webhook_respond.json"))
    assert result.returncode == 0, result.stderr
    workflow_id = re.search(r"imported workflow (\d+)", result.stdout).group(1)
    assert api.get(f"/api/workflows/{workflow_id}").get_json()["active"] is True


def test_bad_files_get_a_clear_message_and_nothing_is_saved(app, config, svc, tmp_path):
    cases = {
        "missing.json": (None, "Cannot read"),
        "broken.json": ("{oops", "not valid JSON"),
        "other.json": (json.dumps({"hello": "world"}), "'nodes' list"),
        "flowlane.json": (json.dumps({"format": "flowlane/workflow@1", "name": "x",
                                      "nodes": []}), "already a Flowlane workflow"),
        "binary.json": (b"\xff\xfe\x00garbage", "not"),
        "huge.json": ("[" + "0," * (3 * 1024 * 1024) + "0]", "larger than 5 MB"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content)
        result = flowlane(config, "import", "--from", "n8n", str(path))
        assert result.returncode != 0, name
        assert message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr, name
    assert count(svc) == 0


def test_an_invalid_result_prints_the_report_and_the_errors(app, config, svc, tmp_path):
    looping = {"name": "Loops", "nodes": [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "parameters": {}},
        {"name": "A", "type": "n8n-nodes-base.noOp", "parameters": {}},
        {"name": "B", "type": "n8n-nodes-base.noOp", "parameters": {}}],
        "connections": {"Start": {"main": [[{"node": "A", "type": "main", "index": 0}]]},
                        "A": {"main": [[{"node": "B", "type": "main", "index": 0}]]},
                        "B": {"main": [[{"node": "A", "type": "main", "index": 0}]]}}}
    path = tmp_path / "loops.json"
    path.write_text(json.dumps(looping))
    result = flowlane(config, "import", "--from", "n8n", str(path))
    assert result.returncode == 1
    assert "3 of 3 nodes mapped" in result.stdout
    assert "loops back on itself" in result.stdout
    assert "not imported" in result.stderr
    assert count(svc) == 0


def test_import_from_n8n_against_a_remote_server(app, config, svc, owner, live_server,
                                                 tmp_path):
    remote = ("--server", live_server, "--token", owner["token"])
    result = flowlane(config, *remote, "import", "--from", "n8n",
                      str(FIXTURES / "core_routing.json"))
    assert result.returncode == 0, result.stderr
    assert "10 of 10 nodes mapped" in result.stdout
    assert re.search(r"imported workflow \d+: Route deals by stage", result.stdout)
    assert count(svc) == 1
    path = tmp_path / "not-n8n.json"
    path.write_text(json.dumps({"nodes": 3}))
    refused = flowlane(config, *remote, "import", "--from", "n8n", str(path))
    assert refused.returncode == 1 and "not an n8n workflow" in refused.stderr
    assert count(svc) == 1
