"""What the data-table nodes share: their form fields and how an item becomes row values.

The nodes reach the tables through `ctx.service("tables")` (server/tables/service.py
documents it); they never import the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.registry import Item, NodeError

TABLE = {"title": "Table", "type": "string", "minLength": 1,
         "description": "The data table, by name.", "ui": {"options": "tables"}}
TRIGGER = {"title": "Trigger other workflows", "type": "boolean", "default": True,
           "description": "Off: a silent write (such as writing an id back) that starts no "
                          "'Table changed' workflow."}
MATCH = {"title": "Find the row by", "enum": ["id", "key"], "default": "id",
         "description": "Its row id, or its value in the table's key column."}
ROW_ID = {"title": "Row id", "type": ["integer", "string"], "default": "{{ item.id }}"}
KEY = {"title": "Key value", "type": ["string", "number"],
       "description": "The value in the table's key column."}
IF_MISSING = {"title": "When there is no such row", "enum": ["skip", "error"],
              "default": "skip", "description": "Output nothing for the item, or fail."}


def column(title: str, fields: bool = False, **extra: Any) -> dict[str, Any]:
    """A column dropdown fed by the chosen table (`fields`: rows' own fields too)."""
    source = "table_fields" if fields else "table_columns"
    return {"title": title, "type": "string", "depends_on": ["table"],
            "ui": {"options": source, "depends_on": ["table"]}, **extra}


MAPPING = {"title": "Values", "enum": ["manual", "auto"], "default": "manual",
           "description": "manual: set each column below; auto: copy the item's fields that "
                          "have a column's name (others are left out)."}
VALUES = {
    "title": "Columns", "type": "array",
    "items": {"type": "object", "required": ["column"],
              "properties": {"column": column("Column"),
                             "value": {"title": "Value",
                                       "description": "A fixed value or an expression."}}},
}


def values_of(rendered: Mapping[str, Any], item: Item) -> tuple[dict[str, Any], bool]:
    """The row values an item gives, and whether unknown names are to be ignored (auto)."""
    if rendered.get("mapping") == "auto":
        return dict(item), True
    values = {}
    for entry in rendered.get("values") or []:
        if isinstance(entry, Mapping) and entry.get("column"):
            values[str(entry["column"])] = entry.get("value")
    return values, False


def locate(rendered: Mapping[str, Any], item: Item) -> dict[str, Any]:
    """`row_id=` or `key=` for the service, from the node's "find the row by" params."""
    if rendered.get("match", "id") == "key":
        key = rendered.get("key")
        if key in (None, ""):
            raise NodeError("The key value is empty for this item.")
        return {"key": key}
    row_id = rendered.get("row_id", item.get("id"))
    if row_id in (None, ""):
        raise NodeError("The row id is empty for this item.")
    return {"row_id": row_id}


def check_locate(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Finding by key needs a key value."""
    if params.get("match") == "key" and params.get("key") in (None, ""):
        return [("/key", "a key value is required to find the row by key.")]
    return []


def missing(rendered: Mapping[str, Any], table: Any, where: dict[str, Any]) -> None:
    """Fail for a row that is not there, when the node says so."""
    if rendered.get("if_missing", "skip") == "error":
        found_by = ", ".join(f"{k.replace('_', ' ')} {v!r}" for k, v in where.items())
        raise NodeError(f"There is no row with {found_by} in {table!r}.")
