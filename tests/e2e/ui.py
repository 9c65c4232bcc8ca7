"""Small helpers that drive the editor the way a person does: mouse and keyboard."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

DONE = ("succeeded", "failed", "cancelled")


def node(page: Any, node_id: str) -> Any:
    return page.locator(f"[data-testid='flow-node'][data-node-id='{node_id}']")


def click_node(page: Any, node_id: str) -> None:
    """Click a node's name area (the mouse, as a person: nodes re-render while the view moves)."""
    target = node(page, node_id)
    target.wait_for()
    box = target.bounding_box()
    assert box is not None, f"node {node_id} is not on screen"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 12)


def drag_from_palette(page: Any, node_type: str, x: float, y: float) -> None:
    """Drag a palette entry onto the canvas at (x, y) in page coordinates (HTML5 drag and drop)."""
    source = page.locator(f"[data-testid='palette-item'][data-type='{node_type}']")
    canvas = page.locator(".react-flow__pane")
    canvas_box = canvas.bounding_box()
    assert canvas_box is not None
    source.drag_to(canvas, target_position={"x": x - canvas_box["x"], "y": y - canvas_box["y"]})


def handle(page: Any, node_id: str, kind: str, port: str = "main") -> Any:
    return page.locator(f".react-flow__node[data-id='{node_id}'] "
                        f".react-flow__handle.{kind}[data-handleid='{port}']")


def connect(page: Any, source: str, target: str, source_port: str = "main",
            target_port: str = "main") -> None:
    """Draw an edge by dragging from an output handle to an input handle."""
    start = handle(page, source, "source", source_port).bounding_box()
    end = handle(page, target, "target", target_port).bounding_box()
    assert start and end, "both handles must be on screen"
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2 + 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=3)
    page.mouse.up()


def edge_count(page: Any) -> int:
    return int(page.locator(".react-flow__edge").count())


def expect_edges(page: Any, count: int) -> None:
    expect(page.locator(".react-flow__edge")).to_have_count(count)


def expect_nodes(page: Any, ids: list[str]) -> None:
    """Wait until exactly these nodes are on the canvas (all of them in view)."""
    expect(page.locator("[data-testid='flow-node']")).to_have_count(len(ids))
    assert sorted(node_ids(page)) == sorted(ids)


def node_ids(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(
        "[data-testid='flow-node']", "els => els.map(e => e.dataset.nodeId)"))


def drop_file(page: Any, name: str, content: Any) -> None:
    """Drop a file onto the window as if it came from the desktop."""
    text = content if isinstance(content, str) else json.dumps(content)
    page.evaluate(
        """([name, text]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, { type: "application/json" }));
            const target = document.querySelector("main") || document.body;
            for (const type of ["dragenter", "dragover", "drop"]) {
                target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true,
                                                          dataTransfer: data }));
            }
        }""",
        [name, text],
    )


def open_editor(page: Any, workflow_id: int) -> None:
    page.goto(f"/workflows/{workflow_id}")
    page.wait_for_selector("body[data-canvas-ready='true']")
    page.wait_for_selector("[data-testid='flow-node']")


def wait_saved(page: Any) -> None:
    page.wait_for_selector("[data-testid='saved']")
