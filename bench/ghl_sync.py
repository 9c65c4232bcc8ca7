"""HighLevel sync benchmark against the sandbox, with HighLevel's limit shape: 100 requests
per window per location (the window shrunk from 10 s to keep the run short; the ratio is what
counts) and a daily quota.

1. Read all 10,000 opportunities through GET /opportunities/search ("return all": 100 per
   page, cursor kept with every filter), and compare the time with its minimum at the ceiling.
2. Upsert 2,000 opportunities with 2 worker processes sharing the Redis limiter, and report
   the requests/s achieved as a share of the ceiling (target >= 95 % sustained) and the 429s
   HighLevel would have sent (target 0).

Usage: python bench/ghl_sync.py [--window 2] [--limit 100] [--opportunities 10000]
       [--upserts 2000] [--workers 2]
Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import redis  # noqa: E402

from nodes.ghl.client import GhlClient, StaticToken  # noqa: E402
from nodes.ghl.limiter import Limiter, bucket  # noqa: E402
from nodes.ghl.openapi import find  # noqa: E402
from nodes.ghl.paginate import all_pages  # noqa: E402
from server.redis_server import EmbeddedRedis  # noqa: E402

SEARCH = ("GET", "/opportunities/search")
UPSERT = ("POST", "/opportunities/upsert")


def serve_sandbox(options: dict[str, Any], ready: Any, stop: Any) -> None:
    """The sandbox in its own process, so the clients do not share its interpreter."""
    import logging

    from sandbox import SandboxServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with SandboxServer(**options) as server:
        ready.put((server.url, server.token, server.location_id))
        stop.wait()


def client_for(http: httpx.Client, redis_url: str, url: str, token: str,
               location: str) -> GhlClient:
    return GhlClient(http, url, StaticToken(token), bucket=bucket("pit", location),
                     limiter=Limiter(redis.Redis.from_url(redis_url)))


def upsert_worker(args: tuple[str, str, str, str, list[dict[str, Any]]]) -> dict[str, Any]:
    redis_url, url, token, location, bodies = args
    operation = find(*UPSERT)
    assert operation is not None
    done: list[float] = []
    with httpx.Client(limits=httpx.Limits(max_keepalive_connections=4)) as http:
        client = client_for(http, redis_url, url, token, location)
        first = time.time()
        for body in bodies:
            client.call(operation, body=body, idempotent=True)
            done.append(time.time())
    return {"first": first, "done": done, "stats": client.stats,
            "waited": client.limiter.waited_s if client.limiter else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--window", type=float, default=2.0, help="seconds (HighLevel: 10)")
    parser.add_argument("--limit", type=int, default=100, help="requests per window")
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--upserts", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ceiling = args.limit / args.window

    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    sandbox = context.Process(target=serve_sandbox, daemon=True, args=(
        {"opportunities": args.opportunities, "rate_limit": args.limit,
         "rate_window": args.window}, ready, stop))
    started = time.perf_counter()
    sandbox.start()
    url, token, location = ready.get(timeout=600)
    print(f"sandbox: {args.opportunities:,} opportunities, {args.limit} requests per "
          f"{args.window:g} s (ceiling {ceiling:.1f} requests/s), ready in "
          f"{time.perf_counter() - started:.1f} s")
    redis_url = os.environ.get("REDIS_URL", "")
    embedded = None
    if not redis_url:
        embedded = EmbeddedRedis(Path(tempfile.mkdtemp()) / "redis").start()
        redis_url = embedded.url
    admin = httpx.Client(base_url=f"{url}/_sandbox", timeout=60)
    try:
        deals = read_phase(redis_url, url, token, location, ceiling, admin)
        upsert_phase(args, redis_url, url, token, location, deals, ceiling, admin)
    finally:
        admin.close()
        stop.set()
        sandbox.join(10)
        if embedded is not None:
            embedded.stop()


def read_phase(redis_url: str, url: str, token: str, location: str, ceiling: float,
               admin: httpx.Client) -> list[dict[str, Any]]:
    operation = find(*SEARCH)
    assert operation is not None
    admin.delete("/stats")
    with httpx.Client() as http:
        client = client_for(http, redis_url, url, token, location)
        started = time.perf_counter()
        deals = all_pages(client, operation, {}, {"location_id": location}, None,
                          {"style": "cursor", "list": "opportunities", "page_size": "limit",
                           "max_page_size": 100})
        elapsed = time.perf_counter() - started
    requests = client.stats["requests"]
    minimum = requests / ceiling
    stats = admin.get("/stats").json()
    print(f"read:    {len(deals):,} opportunities ({len({d['id'] for d in deals}):,} distinct) "
          f"in {requests} requests, {elapsed:.2f} s; minimum at the ceiling {minimum:.2f} s "
          f"({elapsed / minimum:.2f}x); 429s: {stats['responses429']}")
    return deals


def upsert_phase(args: argparse.Namespace, redis_url: str, url: str, token: str,
                 location: str, deals: list[dict[str, Any]], ceiling: float,
                 admin: httpx.Client) -> None:
    chosen = deals[:args.upserts]
    bodies = [{"pipelineId": d["pipelineId"], "locationId": location, "contactId":
               d["contactId"], "monetaryValue": (d.get("monetaryValue") or 0) + 1,
               "followers": [], "isRemoveAllFollowers": False, "followersActionType": "add"}
              for d in chosen]
    shares = [bodies[i::args.workers] for i in range(args.workers)]
    admin.delete("/stats")
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.workers) as pool:
        results = pool.map(upsert_worker, [(redis_url, url, token, location, share)
                                           for share in shares])
    done = sorted(t for r in results for t in r["done"])
    stats = admin.get("/stats").json()
    # From the first request sent to the last answer (not the workers' start-up).
    elapsed = done[-1] - min(r["first"] for r in results)
    overall = len(done) / elapsed
    # Sustained: after the first window (the bucket still held the read phase's requests).
    steady = [t for t in done if t >= done[0] + args.window]
    sustained = (len(steady) - 1) / (steady[-1] - steady[0]) if len(steady) > 1 else overall
    peaks = [b["peakInWindow"] for k, b in stats.get("buckets", {}).items()
             if k.endswith(location)]
    retries = sum(r["stats"]["retries"] for r in results)
    print(f"upsert:  {len(done):,} upserts with {args.workers} workers in {elapsed:.1f} s: "
          f"{overall:.1f} requests/s overall ({overall / ceiling:.1%} of the ceiling), "
          f"{sustained:.1f} requests/s sustained ({sustained / ceiling:.1%})")
    print(f"         429s received: {stats['responses429']} (client saw "
          f"{sum(r['stats']['429'] for r in results)}, retries {retries}); busiest window "
          f"{max(peaks) if peaks else '?'} of {args.limit}; sandbox counted "
          f"{stats['requests']:,} requests")


if __name__ == "__main__":
    main()
