"""Merge: join two branches by appending, by a key, or only once both have arrived."""

from __future__ import annotations

import json
from typing import Any

from nodes.core.paths import get_path
from nodes.registry import Item, Items, Outputs, Params, RunContext, node


@node(
    type="core.merge",
    title="Merge",
    group="Flow",
    description="Combine the items of two inputs: append, match by key, or wait for both.",
    inputs=("input1", "input2"),
    icon="merge",
    params={
        "type": "object",
        "required": ["mode"],
        "properties": {
            "mode": {"title": "Mode", "enum": ["append", "combine_by_key", "wait_both"],
                     "default": "append"},
            "key1": {"title": "Key in input 1", "type": "string"},
            "key2": {"title": "Key in input 2", "type": "string"},
            "join": {
                "title": "Keep",
                "enum": ["matches", "all_input1", "all"],
                "default": "matches",
                "description": "Only matched pairs (inner), every input-1 item (left), or "
                "every item of both (outer).",
            },
            "output": {
                "title": "Output when both arrived",
                "enum": ["input1", "input2", "both"],
                "default": "both",
            },
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    first, second = ctx.inputs.get("input1", []), ctx.inputs.get("input2", [])
    # Settings shape the whole batch: expressions in them are read once, for the first item.
    rendered = params.render((first or second)[0] if first or second else None)
    mode = rendered.get("mode", "append")
    if mode == "combine_by_key":
        key1 = str(rendered.get("key1") or "id")
        key2 = str(rendered.get("key2") or key1)
        return {"main": combine_by_key(first, second, key1, key2,
                                       rendered.get("join", "matches"))}
    if mode == "wait_both":
        if not first or not second:
            return {"main": []}
        chosen = rendered.get("output", "both")
        return {"main": first if chosen == "input1" else second if chosen == "input2"
                else first + second}
    return {"main": first + second}


def combine_by_key(first: Items, second: Items, key1: str, key2: str, join: str) -> Items:
    """Merge each input-1 item with the input-2 items whose key equals its key."""
    index: dict[Any, list[Item]] = {}
    for item in second:
        key = _key(get_path(item, key2))
        if key is not None:
            index.setdefault(key, []).append(item)
    used: set[int] = set()
    merged: Items = []
    for item in first:
        key = _key(get_path(item, key1))
        partners = index.get(key, []) if key is not None else []
        for partner in partners:
            used.add(id(partner))
            merged.append({**item, **partner})
        if not partners and join in ("all_input1", "all"):
            merged.append(item)
    if join == "all":
        merged.extend(item for item in second if id(item) not in used)
    return merged


def _key(value: Any) -> Any:
    """A comparable key: 1 and "1" match (GHL sends ids both ways); None (no key) matches
    nothing, so items missing the field are not paired with each other."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value
