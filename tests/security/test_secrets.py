"""Secrets stay secret: masked in the API, never in run data, Redis or logs; encrypted at
rest with a key file only the owner can read; rotated on demand."""

from __future__ import annotations

import json
import logging
import stat
import subprocess
import sys

from sqlalchemy import text

from server.db import Credential
from tests.helpers import ROOT, WorkerProcess, doc, node, wait_for_run, worker_env

SECRET = "PLANTED-sekr3t-token-4242"


def everything_in_redis(client) -> str:
    dumped = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key).decode()
        if kind == "string":
            dumped.append(client.get(key))
        elif kind == "list":
            dumped += client.lrange(key, 0, -1)
        elif kind == "hash":
            dumped += [*client.hgetall(key).items()]
        elif kind == "set":
            dumped += client.smembers(key)
        elif kind == "zset":
            dumped += client.zrange(key, 0, -1)
        dumped.append(key)
    return repr(dumped)


def everything_in_the_database(svc) -> str:
    rows = []
    with svc.db.engine.connect() as connection:
        for table in ("runs", "steps", "webhook_events", "audit_log", "workflow_versions"):
            rows += connection.execute(text(f"SELECT * FROM {table}")).all()
    return repr(rows)


def test_a_planted_secret_appears_nowhere_but_encrypted(app, svc, api, config, receiver,
                                                         tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    log_file = tmp_path / "worker.log"
    worker = WorkerProcess(config, log_file).start()
    try:
        created = api.post("/api/credentials", json={
            "name": "CRM key", "kind": "http_bearer", "data": {"token": SECRET}})
        assert created.json["data"]["token"] != SECRET
        assert SECRET not in api.get("/api/credentials").get_data(as_text=True)
        workflow_id = api.post("/api/workflows", json={"document": doc(
            node("start", "core.trigger.manual"),
            node("call", "core.http", credential="CRM key",
                 params={"url": f"{receiver.url}/echo",
                         "headers": [{"name": "X-Api-Key", "value": "typed-in-key-77"}]}),
            node("copy", "core.map", params={"fields": [
                {"target": "copied", "value": "{{ item.headers.Authorization }}"}]}),
            node("fail", "core.stop", params={"message": "leaked {{ item.copied }}"}),
            edges=[("start", "call"), ("call", "copy"), ("copy", "fail")],
            name="Leaky")}).json["id"]
        run_id = api.post(f"/api/workflows/{workflow_id}/run", json={}).json["run_id"]
        run = wait_for_run(svc, run_id)
    finally:
        worker.stop()
    assert run.status == "failed"
    # The request really carried the secret: the echo proves the node used it.
    assert receiver.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"
    detail = api.get(f"/api/runs/{run_id}").get_data(as_text=True)
    assert "[redacted]" in detail
    assert SECRET not in detail
    # A key typed into a sensitive header is hidden in the run too (the workflow keeps it).
    call = next(s for s in api.get(f"/api/runs/{run_id}").json["steps"]
                if s["node_id"] == "call")
    assert call["params"]["headers"] == [{"name": "X-Api-Key", "value": "[redacted]"}]
    assert "typed-in-key-77" not in json.dumps(call)
    assert SECRET not in everything_in_the_database(svc)
    assert SECRET not in everything_in_redis(svc.redis)
    assert SECRET not in log_file.read_text()
    assert SECRET not in caplog.text
    with svc.db.session() as session:
        stored = session.query(Credential).one().data
    assert SECRET not in stored and svc.vault.decrypt(stored)["token"] == SECRET


def test_the_key_file_is_private_and_rotation_re_encrypts(app, api, svc, config):
    key_file = config.data_dir / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    api.post("/api/credentials", json={"name": "Rotating", "kind": "http_bearer",
                                       "data": {"token": "rotate-me-please"}})
    with svc.db.session() as session:
        before = session.query(Credential).one().data
    old_key = key_file.read_bytes()
    result = subprocess.run([sys.executable, "-m", "server.cli", "secrets", "rotate"], cwd=ROOT,
                            env=worker_env(config), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert key_file.read_bytes() != old_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with svc.db.session() as session:
        after = session.query(Credential).one().data
    assert after != before
    from server.secrets import Vault

    fresh = Vault.from_config("", config.data_dir)  # only the new key now
    assert fresh.decrypt(after)["token"] == "rotate-me-please"

