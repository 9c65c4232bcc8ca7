"""Engine benchmark. Prints two figures (it never fails on timing):

(a) in-process engine time per node per item: a 10-node transform workflow on 1,000 items,
    run by the executor with an in-memory recorder (target <= 50 µs);
(b) end to end: a webhook -> IF -> map workflow served by `flowlane web` with 2 worker
    processes; 1,000 webhook calls; runs/s and p50/p99 latency from request to finished run
    (target >= 220 runs/s on 2 cores).

Usage: python bench/engine.py [--calls 1000] [--workers 2] [--concurrency 32] [--skip-e2e]
                              [--database postgresql://.../empty_db]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.engine.memory import MemoryRecorder, run_document  # noqa: E402


def transform_workflow() -> dict:
    """Trigger + 9 transforms: the shapes a sales workflow pushes every item through."""
    nodes = [
        {"id": "start", "type": "core.trigger.manual", "name": "Start"},
        {"id": "map1", "type": "core.map", "name": "Normalise", "params": {"fields": [
            {"target": "value", "value": "{{ item.amount * 1.1 }}", "type": "number"},
            {"target": "owner", "value": "{{ item.owner | upper }}"}]}},
        {"id": "filter", "type": "core.filter", "name": "Open only", "params": {"conditions": {
            "rules": [{"left": "{{ item.status }}", "type": "string", "operator": "equals",
                       "right": "open"}]}}},
        {"id": "if", "type": "core.if", "name": "Big?", "params": {"conditions": {
            "rules": [{"left": "{{ item.value }}", "type": "number", "operator": "gt",
                       "right": 500}]}}},
        {"id": "tag_big", "type": "core.map", "name": "Tag big", "params": {"fields": [
            {"target": "tier", "value": "big"}]}},
        {"id": "tag_small", "type": "core.map", "name": "Tag small", "params": {"fields": [
            {"target": "tier", "value": "small"}]}},
        {"id": "merge", "type": "core.merge", "name": "Together", "params": {"mode": "append"}},
        {"id": "rename", "type": "core.map", "name": "Rename", "params": {
            "rename": [{"from": "owner", "to": "assigned_to"}], "remove": ["status"]}},
        {"id": "sort", "type": "core.sort", "name": "By value", "params": {
            "fields": [{"field": "value", "order": "desc"}]}},
        {"id": "dedupe", "type": "core.dedupe", "name": "Unique", "params": {
            "compare": "selected_fields", "fields": ["id"]}},
    ]
    edges = [
        {"from": "start", "to": "map1"}, {"from": "map1", "to": "filter"},
        {"from": "filter", "to": "if"},
        {"from": "if", "from_port": "true", "to": "tag_big"},
        {"from": "if", "from_port": "false", "to": "tag_small"},
        {"from": "tag_big", "to": "merge", "to_port": "input1"},
        {"from": "tag_small", "to": "merge", "to_port": "input2"},
        {"from": "merge", "to": "rename"}, {"from": "rename", "to": "sort"},
        {"from": "sort", "to": "dedupe"},
    ]
    return {"format": "flowlane/workflow@1", "name": "bench", "nodes": nodes, "edges": edges}


def bench_in_process(items: int = 1000, repeats: int = 5) -> float:
    document = transform_workflow()
    payload = [{"id": i, "amount": i % 997, "owner": f"user{i % 5}",
                "status": "open" if i % 10 else "lost"} for i in range(items)]
    run_document(document, payload)  # warm the template cache and imports
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        outcome, _recorder = run_document(document, payload, recorder=MemoryRecorder())
        elapsed = time.perf_counter() - started
        assert outcome.status == "succeeded", outcome.error
        best = min(best, elapsed)
    node_items = len(document["nodes"]) * items
    micros = best / node_items * 1e6
    print(f"(a) in-process: {len(document['nodes'])} nodes x {items} items in "
          f"{best * 1000:.1f} ms = {micros:.1f} µs per node per item (target <= 50)")
    return micros


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


WEBHOOK_WORKFLOW = {
    "format": "flowlane/workflow@1", "name": "bench webhook",
    "nodes": [
        {"id": "hook", "type": "core.trigger.webhook", "name": "Hook",
         "params": {"path": "bench", "method": "POST"}},
        {"id": "if", "type": "core.if", "name": "Valuable?", "params": {"conditions": {
            "rules": [{"left": "{{ item.body.value }}", "type": "number", "operator": "gte",
                       "right": 100}]}}},
        {"id": "map", "type": "core.map", "name": "Shape", "params": {"keep": "none", "fields": [
            {"target": "name", "value": "{{ item.body.name }}"},
            {"target": "value", "value": "{{ item.body.value }}", "type": "number"}]}},
    ],
    "edges": [{"from": "hook", "to": "if"}, {"from": "if", "from_port": "true", "to": "map"}],
}


async def _fire(host: str, port: int, path: str, calls: int,
                concurrency: int) -> list[tuple[int, float]]:
    """POST `calls` webhooks over `concurrency` keep-alive connections.

    A bare HTTP/1.1 client on asyncio streams: the load generator shares the machine's cores
    with the server it measures, so it must cost next to nothing per request (httpx costs
    milliseconds of CPU each, which the server would lose).
    """
    sent: list[tuple[int, float]] = []
    numbers = iter(range(calls))

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for i in numbers:
                body = json.dumps({"name": f"deal {i}", "value": 100 + i}).encode()
                started = time.time()
                writer.write(b"POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json"
                             b"\r\nContent-Length: %d\r\n\r\n%s"
                             % (path.encode(), host.encode(), len(body), body))
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                answer = await reader.readexactly(length)
                if b" 202 " not in status_line:
                    raise RuntimeError(f"webhook answered {status_line!r}: {answer[:200]!r}")
                sent.append((json.loads(answer)["run_id"], started))
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return sent


def bench_end_to_end(calls: int, workers: int, concurrency: int, database: str = "") -> None:
    from sqlalchemy import create_engine, text

    data_dir = Path(tempfile.mkdtemp(prefix="flowlane-bench-"))
    port = _free_port()
    env = {**os.environ, "FLOWLANE_DATA_DIR": str(data_dir), "FLOWLANE_PORT": str(port),
           "PYTHONPATH": str(ROOT), "FLOWLANE_SANDBOX": "off"}
    flowlane = [sys.executable, "-m", "server.cli"]
    database = database or f"sqlite:///{data_dir / 'flowlane.db'}"
    env["DATABASE_URL"] = database
    subprocess.run([*flowlane, "db", "upgrade"], env=env, check=True, capture_output=True)
    token = _owner_token(database)
    stack = subprocess.Popen([*flowlane, "up", "--workers", str(workers), "--port", str(port)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).json().get("workers") == workers:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.1)
        owner = {"Authorization": f"Bearer {token}"}
        created = httpx.post(f"{base}/api/workflows", json={"document": WEBHOOK_WORKFLOW},
                             headers=owner)
        created.raise_for_status()
        workflow_id = created.json()["id"]
        httpx.post(f"{base}/api/workflows/{workflow_id}/activate",
                   headers=owner).raise_for_status()
        cpu_before = _cpu_seconds(stack.pid)
        started = time.time()
        sent = asyncio.run(_fire("127.0.0.1", port, "/webhook/bench", calls, concurrency))
        engine = create_engine(database)
        ids = {run_id for run_id, _ in sent}
        deadline = time.time() + 300
        while time.time() < deadline:
            with engine.connect() as connection:
                done = connection.execute(text(
                    "SELECT count(*) FROM runs WHERE status IN ('succeeded', 'failed')")).scalar()
            if done >= len(ids):
                break
            time.sleep(0.2)
        cpu_after = _cpu_seconds(stack.pid)
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT id, status, finished_at FROM runs")).all()
        finished = {row[0]: _epoch(row[2]) for row in rows if row[2] is not None}
        failed = sum(1 for row in rows if row[1] == "failed")
        latencies = sorted(finished[run_id] - at for run_id, at in sent if run_id in finished)
        last = max(finished.values())
        rate = len(finished) / (last - started)
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        print(f"(b) end to end: {calls} webhook calls, {workers} workers, {os.cpu_count()} cores:"
              f" {rate:.0f} runs/s (target >= 220); latency p50 {p50:.0f} ms, p99 {p99:.0f} ms;"
              f" failed runs: {failed}")
        print("    CPU per run: " + _cpu_per_run(cpu_before, cpu_after, len(finished)))
    finally:
        stack.terminate()
        stack.wait(20)


def _cpu_seconds(root_pid: int) -> dict[str, float]:
    """CPU seconds so far of the stack's processes, by kind (web, worker, redis, ...)."""
    import psutil

    root = psutil.Process(root_pid)
    spent: dict[str, float] = {}
    for process in [root, *root.children(recursive=True)]:
        try:
            cmdline = process.cmdline()
            times = process.cpu_times()
        except psutil.Error:
            continue
        kind = "redis" if "redis-server" in " ".join(cmdline) else (
            cmdline[3] if len(cmdline) > 3 and cmdline[1:3] == ["-m", "server.cli"] else "other")
        spent[kind] = spent.get(kind, 0.0) + times.user + times.system
    return spent


def _cpu_per_run(before: dict[str, float], after: dict[str, float], runs: int) -> str:
    """Where the CPU went while the calls were served: ms per run by process kind."""
    spent = {kind: value - before.get(kind, 0.0) for kind, value in after.items()}
    parts = [f"{kind} {1000 * value / runs:.1f}" for kind, value in sorted(spent.items())]
    return f"{1000 * sum(spent.values()) / runs:.1f} ms (" + ", ".join(parts) + ")"


def _owner_token(url: str) -> str:
    """An owner with an API token, made directly in the benchmark's database."""
    from server.auth import tokens, users
    from server.db import Database

    database = Database(url)
    with database.session() as session:
        owner, _ = users.create(session, "bench@example.com", "owner", "bench password 1")
        _, token = tokens.issue(session, owner, "bench")
        session.commit()
    database.dispose()
    return token


def _epoch(value: object) -> float:
    from datetime import UTC, datetime

    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC).timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--database", default="",
                        help="an empty PostgreSQL database's URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    bench_in_process(args.items)
    if not args.skip_e2e:
        bench_end_to_end(args.calls, args.workers, args.concurrency, args.database)


if __name__ == "__main__":
    main()
