"""Editor benchmark. Prints figures (it never fails on timing):

(a) time to interactive of a generated 200-node workflow in headless Chromium: from the start
    of navigation to the canvas being ready with its nodes drawn and a click on a node opening
    its panel (target < 1 s); the median of several full page loads (the first one with a
    cold cache shown too), and of in-app navigations from the Workflows page;
(b) frames per second while panning that workflow by mouse drag;
(c) the editor bundle's size, gzipped (target <= 300 KB for the whole app).

It starts its own `flowlane web` (SQLite and the embedded Redis in a temporary directory).
Usage: python bench/editor.py [--nodes 200] [--loads 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BUNDLE = ROOT / "server" / "static" / "app"
EMAIL, PASSWORD = "bench@flowlane.test", "Bench-passphrase-90210"


def big_workflow(count: int) -> dict[str, Any]:
    """A manual trigger and `count - 1` steps in branching lanes, 6 lanes deep."""
    nodes: list[dict[str, Any]] = [{"id": "start", "type": "core.trigger.manual",
                                    "name": "Start", "position": [0, 0]}]
    edges: list[dict[str, Any]] = []
    lanes = 6
    for index in range(1, count):
        column, lane = divmod(index - 1, lanes)
        node_id = f"n{index}"
        if index % 5 == 0:
            node = {"id": node_id, "type": "core.if", "name": f"Check {index}",
                    "params": {"conditions": {"rules": [
                        {"left": "{{ item.amount }}", "type": "number", "operator": "gt",
                         "right": index}]}}}
        else:
            node = {"id": node_id, "type": "core.map", "name": f"Map {index}",
                    "params": {"fields": [{"target": f"f{index}", "value": "{{ item.a }}"}]}}
        node["position"] = [280 * (column + 1), 120 * lane]
        nodes.append(node)
        source = "start" if column == 0 else f"n{index - lanes}"
        port = "true" if source != "start" and int(source[1:]) % 5 == 0 else "main"
        edges.append({"from": source, "to": node_id, "from_port": port, "to_port": "main"})
    return {"format": "flowlane/workflow@1", "name": f"Bench {count} nodes", "nodes": nodes,
            "edges": edges}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(url: str, token: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        url + path, data=json.dumps(body).encode() if body is not None else None, method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def bundle_size() -> tuple[int, int]:
    raw = sum(f.stat().st_size for f in BUNDLE.glob("index.*"))
    gz = sum(len(gzip.compress(f.read_bytes(), 9)) for f in BUNDLE.glob("index.*"))
    return raw, gz


def _open_and_click(page: Any) -> None:
    """Wait for the canvas and its nodes, then click a node and wait for its panel."""
    page.wait_for_selector("body[data-canvas-ready='true'] [data-testid='flow-node']")
    box = page.locator("[data-testid='flow-node']").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("[data-testid='node-panel']")


def measure(url: str, workflow_id: int, loads: int) -> dict[str, Any]:
    """Times (s) for full page loads and for in-app navigation; pan fps; nodes drawn."""
    from playwright.sync_api import sync_playwright

    full: list[float] = []
    in_app: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=url)
        context.request.post("/api/auth/login", data={"email": EMAIL, "password": PASSWORD})
        page = context.new_page()
        for _ in range(loads):
            page.goto("about:blank")
            start = time.perf_counter()
            page.goto(f"/workflows/{workflow_id}", wait_until="commit")
            _open_and_click(page)
            full.append(time.perf_counter() - start)
        for _ in range(loads):
            page.goto("/")
            page.wait_for_selector("[data-testid='workflows-page']")
            start = time.perf_counter()
            page.evaluate(f"window.history.pushState(null, '', '/workflows/{workflow_id}');"
                          "window.dispatchEvent(new PopStateEvent('popstate'))")
            _open_and_click(page)
            in_app.append(time.perf_counter() - start)
        rendered = page.locator("[data-testid='flow-node']").count()
        page.keyboard.press("Escape")
        fps = pan_fps(page)
        browser.close()
    return {"full": full, "in_app": in_app, "fps": fps, "rendered": rendered}


def pan_fps(page: Any) -> float:
    """Drag the canvas for about a second and count the frames the browser painted."""
    page.evaluate("""() => { window.__frames = 0; const tick = () => { window.__frames++;
        if (window.__counting) requestAnimationFrame(tick); }; window.__counting = true;
        requestAnimationFrame(tick); }""")
    pane = page.locator(".react-flow__pane").bounding_box()
    x, y = pane["x"] + pane["width"] / 2, pane["y"] + pane["height"] / 2
    started = time.perf_counter()
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(60):
        page.mouse.move(x - step * 12, y - (step % 20) * 4)
    page.mouse.up()
    elapsed = time.perf_counter() - started
    frames = page.evaluate("() => { window.__counting = false; return window.__frames; }")
    return float(frames) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    if not (BUNDLE / "index.js").exists():
        sys.exit("The editor is not built: run `make frontend`.")

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from server.auth import tokens, users
    from server.config import Config
    from server.db import migrate
    from server.redis_server import EmbeddedRedis

    with tempfile.TemporaryDirectory(prefix="flowlane-bench-editor-") as tmp:
        data_dir = Path(tmp)
        redis = EmbeddedRedis(data_dir / "redis").start()
        database = Config(data_dir=data_dir).database
        migrate.upgrade(database)
        engine = create_engine(database)
        with Session(engine) as session:
            user = users.create(session, EMAIL, "owner", PASSWORD)[0]
            token = tokens.issue(session, user, "bench")[1]
            session.commit()
        engine.dispose()
        port = _free_port()
        env = {**os.environ, "FLOWLANE_DATA_DIR": str(data_dir), "REDIS_URL": redis.url,
               "PYTHONPATH": str(ROOT)}
        env.pop("DATABASE_URL", None)
        web = subprocess.Popen([sys.executable, "-m", "server.cli", "web", "--port", str(port)],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "/api/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            workflow = _call(url, token, "POST", "/api/workflows",
                             {"document": big_workflow(args.nodes)})
            figures = measure(url, workflow["id"], args.loads)
        finally:
            web.terminate()
            web.wait(10)
            redis.stop()

    raw, gz = bundle_size()
    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    print(f"editor: {args.nodes}-node workflow, {args.loads} loads each, headless Chromium")
    print(f"  time to interactive, full page load: median {ms(figures['full']):.0f} ms, "
          f"first (cold cache) {figures['full'][0] * 1000:.0f} ms (target < 1000 ms)")
    print(f"  time to interactive, from the Workflows page: median "
          f"{ms(figures['in_app']):.0f} ms")
    print(f"  nodes drawn at first view: {figures['rendered']} of {args.nodes} "
          "(only the visible ones render)")
    print(f"  panning: {figures['fps']:.0f} frames/s while dragging the canvas")
    print(f"  bundle: {raw / 1024:.0f} KB, {gz / 1024:.0f} KB gzipped (target <= 300 KB)")

if __name__ == "__main__":
    main()
