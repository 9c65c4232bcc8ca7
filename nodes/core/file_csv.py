"""CSV file: all items as one CSV file, stored with the run (downloadable, attachable)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from nodes.core.paths import get_path
from nodes.registry import Items, Outputs, Params, RunContext, node


@node(
    type="core.file.csv",
    title="CSV file",
    group="Files",
    description="Write the items as a CSV file (one row per item), kept with the run and "
                "attachable to an email.",
    icon="file",
    params={
        "type": "object",
        "properties": {
            "filename": {"title": "File name", "type": "string",
                         "default": "{{ run.workflow }} {{ today() }}.csv"},
            "columns": {
                "title": "Columns", "type": "array",
                "description": "Leave empty for every field of the items.",
                "items": {"type": "object", "required": ["field"],
                          "properties": {"field": {"type": "string", "minLength": 1},
                                         "header": {"type": "string"}}}},
            "delimiter": {"title": "Separator", "enum": [",", ";", "\t", "|"], "default": ","},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    rendered = params.render(items[0] if items else None)
    columns = rendered.get("columns") or [{"field": key} for key in _all_keys(items)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=rendered.get("delimiter", ","))
    writer.writerow([c.get("header") or c["field"] for c in columns])
    for item in items:
        writer.writerow([_cell(get_path(item, c["field"])) for c in columns])
    name = str(rendered.get("filename") or "export.csv")
    if not name.lower().endswith(".csv"):
        name += ".csv"
    # A byte-order mark, so spreadsheet programs read accented names right.
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    file = ctx.service("files").save(name, content, "text/csv")
    return {"main": [{"file": file, "rows": len(items)}]}


def _all_keys(items: Items) -> list[str]:
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    return list(keys)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
