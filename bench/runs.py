"""Runs-list benchmark: 100,000 runs in the database, then the time per page of
GET /api/runs (first page, deep cursor pages, filtered by workflow and by status) and of the
counts per status. Target: < 50 ms per page on PostgreSQL. Prints figures; never fails.

Usage: python bench/runs.py [--runs 100000] [--database postgresql://...@127.0.0.1/test]
(without --database: DATABASE_URL, else a SQLite file in a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from server.config import Config  # noqa: E402
from server.db import Run, Workflow, WorkflowVersion, migrate  # noqa: E402
from server.db.models import utcnow  # noqa: E402
from server.redis_server import EmbeddedRedis  # noqa: E402

STATUSES = ["succeeded"] * 8 + ["failed", "cancelled"]


def fill(database: str, runs: int) -> tuple[int, int]:
    engine = create_engine(database)
    now = utcnow()
    with engine.begin() as connection:
        workflow_ids = []
        for index in range(20):
            workflow_id = connection.execute(insert(Workflow).values(
                name=f"Workflow {index}", active=False, created_at=now, updated_at=now)
            ).inserted_primary_key[0]
            version_id = connection.execute(insert(WorkflowVersion).values(
                workflow_id=workflow_id, number=1, created_at=now,
                document={"format": "flowlane/workflow@1", "name": f"Workflow {index}",
                          "nodes": []})).inserted_primary_key[0]
            workflow_ids.append((workflow_id, version_id))
        batch = []
        for index in range(runs):
            workflow_id, version_id = workflow_ids[index % len(workflow_ids)]
            created = now - timedelta(seconds=runs - index)
            status = STATUSES[index % len(STATUSES)]
            batch.append({
                "workflow_id": workflow_id, "version_id": version_id, "status": status,
                "trigger_kind": "webhook" if index % 3 else "schedule", "created_at": created,
                "started_at": created, "finished_at": created + timedelta(milliseconds=40),
                "claims": 1, "cancel_requested": False,
                "error": {"message": f"deal {index} failed"} if status == "failed" else None,
                "trigger_payload": {"body": {"deal": index}},
            })
            if len(batch) == 5000:
                connection.execute(insert(Run), batch)
                batch = []
        if batch:
            connection.execute(insert(Run), batch)
    if database.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("ANALYZE runs"))
    engine.dispose()
    return workflow_ids[3][0], len(workflow_ids)


def timed(client, url: str, repeat: int = 20) -> tuple[float, dict]:
    times, body = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.json
    return statistics.median(times), body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="flowlane-bench-runs-"))
    config = Config(data_dir=data_dir, database_url=args.database)
    if config.database.startswith("postgresql"):
        engine = create_engine(config.database)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(config.database)
    started = time.perf_counter()
    workflow_id, _ = fill(config.database, args.runs)
    print(f"filled {args.runs} runs in {time.perf_counter() - started:.1f} s "
          f"({config.database.split(':')[0]})")
    with EmbeddedRedis(data_dir) as redis_server:
        from server.app import create_app
        from server.auth import tokens, users

        app = create_app(Config(data_dir=data_dir, database_url=args.database), redis_server.url)
        with app.extensions["flowlane"].db.session() as session:
            user, _ = users.create(session, "bench@example.com", "viewer", "bench password 1")
            _, token = tokens.issue(session, user, "bench")
            session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        first, page = timed(client, "/api/runs?limit=50")
        cursor = page["next_cursor"]
        for _ in range(200):  # walk 10,000 runs deep
            cursor = client.get(f"/api/runs?limit=50&cursor={cursor}").json["next_cursor"]
        deep, _ = timed(client, f"/api/runs?limit=50&cursor={cursor}")
        by_workflow, _ = timed(client, f"/api/runs?limit=50&workflow_id={workflow_id}")
        by_status, _ = timed(client, "/api/runs?limit=50&status=failed")
        counts, _ = timed(client, "/api/runs/counts")
        # The Runs page's other filters: trigger kind, a one-day range, text in the error or
        # the trigger payload (common and rare), each with its counts as the page asks.
        day = (utcnow() - timedelta(seconds=args.runs // 2)).date().isoformat()
        filtered = {
            "trigger=schedule": "trigger=schedule",
            "one day": f"since={day}&until={day}T23:59:59",
            "text, common": "q=failed",
            "text, rare": f"q=deal%20{args.runs - 2}%20failed",  # one run
        }
        print("GET /api/runs, 50 per page (median of 20, target < 50 ms):")
        print(f"  first page {first:.1f} ms; 10,000 deep {deep:.1f} ms; "
              f"one workflow {by_workflow:.1f} ms; status=failed {by_status:.1f} ms")
        print(f"  counts per status over {args.runs} runs: {counts:.1f} ms")
        for label, query in filtered.items():
            page_ms, _ = timed(client, f"/api/runs?limit=50&{query}", repeat=5)
            counts_ms, _ = timed(client, f"/api/runs/counts?{query}", repeat=5)
            print(f"  {label}: page {page_ms:.1f} ms, counts {counts_ms:.1f} ms")


if __name__ == "__main__":
    main()
