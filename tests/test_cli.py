"""The `flowlane` command line, run as a user runs it (a real process)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.helpers import ROOT, doc, node, worker_env


def flowlane(config, *args, timeout=60):
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT,
                          env=worker_env(config), capture_output=True, text=True,
                          timeout=timeout)


def write(tmp_path, document, name="wf.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


GREET = doc(
    node("start", "core.trigger.manual", name="Start"),
    node("greet", "core.map", name="Greet", params={"fields": [
        {"target": "greeting", "value": "Hello {{ item.name }}"}]}),
    node("check", "core.if", name="Known?", params={"conditions": {"rules": [
        {"left": "{{ item.name }}", "type": "string", "operator": "not_equals",
         "right": "nobody"}]}}),
    node("fail", "core.stop", name="Refuse", params={"message": "who is {{ item.name }}?"}),
    edges=[("start", "greet"), ("greet", "check"), ("check", "false", "fail")],
    name="Greeter",
)


def test_run_wait_prints_each_step_and_exits_zero_on_success(app, config, worker, tmp_path):
    result = flowlane(config, "run", write(tmp_path, GREET), "--input", '{"name": "Ada"}',
                      "--wait")
    assert result.returncode == 0, result.stderr
    assert "created workflow" in result.stdout
    assert "✓ Start" in result.stdout and "✓ Greet" in result.stdout
    run_id = re.search(r"run (\d+) queued", result.stdout).group(1)
    assert f"run {run_id} succeeded" in result.stdout


def test_run_wait_exits_non_zero_when_the_run_fails(app, config, worker, tmp_path):
    result = flowlane(config, "run", write(tmp_path, GREET), "--input", '{"name": "nobody"}',
                      "--wait")
    assert result.returncode == 1
    assert "✗ Refuse" in result.stdout
    assert "failed: who is nobody?" in result.stderr


def test_import_export_and_validate(app, config, tmp_path):
    imported = flowlane(config, "import", write(tmp_path, GREET))
    assert imported.returncode == 0 and "imported workflow" in imported.stdout
    workflow_id = re.search(r"imported workflow (\d+)", imported.stdout).group(1)
    exported = flowlane(config, "export", workflow_id)
    assert json.loads(exported.stdout) == GREET
    assert flowlane(config, "validate", write(tmp_path, GREET)).returncode == 0
    broken = {**GREET, "edges": [{"from": "start", "to": "ghost"}]}
    checked = flowlane(config, "validate", write(tmp_path, broken, "broken.json"))
    assert checked.returncode == 1
    assert "/edges/0/to" in checked.stdout


def test_bad_arguments_get_a_clear_message(app, config, tmp_path):
    missing = flowlane(config, "import", str(tmp_path / "nope.json"))
    assert missing.returncode != 0 and "Cannot read" in missing.stderr
    not_json = tmp_path / "bad.json"
    not_json.write_text("{oops")
    assert "not valid JSON" in flowlane(config, "validate", str(not_json)).stderr
    assert "not valid JSON" in flowlane(config, "run", "1", "--input", "{x").stderr
    assert "There is no workflow 999999" in flowlane(config, "export", "999999").stderr
    assert "Traceback" not in flowlane(config, "run", "999999").stderr


def test_the_cli_works_against_a_remote_server_with_a_token(app, config, worker, live_server,
                                                            owner, tmp_path):
    remote = ("--server", live_server, "--token", owner["token"])
    result = flowlane(config, *remote, "run", write(tmp_path, GREET), "--input",
                      '{"name": "Grace"}', "--wait")
    assert result.returncode == 0, result.stderr
    assert "✓ Greet" in result.stdout and "succeeded" in result.stdout
    workflow_id = re.search(r"created workflow (\d+)", result.stdout).group(1)
    assert json.loads(flowlane(config, *remote, "export", workflow_id).stdout) == GREET
    denied = flowlane(config, "--server", live_server, "--token", "flt_wrong", "export",
                      workflow_id)
    assert denied.returncode != 0 and "not valid" in denied.stderr


def test_import_activate_registers_table_triggers(app, api, svc, config, tmp_path):
    """A workflow activated from the CLI listens to its table as one activated in the UI."""
    from tests.tables.helpers import add_row, make_table
    from tests.tables.test_triggers import runs_of, watcher

    table = make_table(api)
    imported = flowlane(config, "import", write(tmp_path, watcher()), "--activate")
    assert imported.returncode == 0, imported.stderr
    workflow_id = int(re.search(r"imported workflow (\d+)", imported.stdout).group(1))
    add_row(api, table["id"], name="Acme", code="A")
    assert [run.trigger_payload["event"] for run in runs_of(svc, workflow_id)] == ["created"]
