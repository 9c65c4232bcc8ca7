""""Return all": follow HighLevel's cursors page after page, keeping every filter.

A paginator that rebuilds the query from the cursor alone drops the filters on page two (n8n's
HighLevel node lost `location_id` that way, n8n#18436). Here every page is the first page's
query plus the cursor, nothing else, and the tests check the filters on each page sent.

- "cursor" (GET /opportunities/search, GET /contacts/): `meta.startAfter` + `meta.startAfterId`
  of the last row; the last page has none.
- "search_after" (POST /contacts/search): the body's `searchAfter` is the last row's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.ghl.client import GhlClient
from nodes.ghl.openapi import Operation
from nodes.registry import NodeError

#: A search that keeps giving pages past this is looping (a cursor that does not move).
MAX_PAGES = 10_000


def all_pages(client: GhlClient, operation: Operation, path: Mapping[str, Any],
              query: Mapping[str, Any], body: Any, config: Mapping[str, Any],
              max_items: int = 0, idempotent: bool | None = None) -> list[Any]:
    """Every row of every page (at most `max_items` when it is above 0)."""
    style, key = config["style"], config["list"]
    size_param, largest = config.get("page_size"), int(config.get("max_page_size", 100))
    page_size = min(largest, max_items) if max_items else largest
    rows: list[Any] = []
    seen: set[str] = set()
    page_query, page_body = dict(query), dict(body) if isinstance(body, Mapping) else body
    for _ in range(MAX_PAGES):
        if client.cancelled():
            break
        if size_param and style == "cursor":
            page_query[size_param] = page_size
        if size_param and style == "search_after" and isinstance(page_body, dict):
            page_body[size_param] = page_size
        answer = client.call(operation, path=path, query=page_query, body=page_body,
                             idempotent=idempotent).body
        found = answer.get(key) if isinstance(answer, dict) else None
        found = found if isinstance(found, list) else []
        rows.extend(found)
        if max_items and len(rows) >= max_items:
            return rows[:max_items]
        cursor = _next(style, answer, found, page_size)
        if cursor is None:
            return rows
        marker = repr(cursor)
        if marker in seen:
            raise NodeError(f"HighLevel returned the same page twice for {operation.key}; "
                            "stopping instead of looping.")
        seen.add(marker)
        if style == "cursor":
            page_query = {**query, **cursor}  # the first page's filters, always
        else:
            page_body = {**(body or {}), **cursor}
    raise NodeError(f"{operation.key} gave more than {MAX_PAGES} pages.")


def _next(style: str, answer: Any, found: list[Any], page_size: int) -> dict[str, Any] | None:
    if not found:
        return None
    if style == "cursor":
        meta = answer.get("meta") if isinstance(answer, dict) else None
        if not isinstance(meta, dict) or not meta.get("startAfterId"):
            return None
        return {"startAfter": meta.get("startAfter"), "startAfterId": meta["startAfterId"]}
    last = found[-1] if isinstance(found[-1], dict) else {}
    if len(found) < page_size or not last.get("searchAfter"):
        return None
    return {"searchAfter": last["searchAfter"]}
