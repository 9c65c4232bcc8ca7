"""Custom field values on opportunities and contacts.

Clients write `[{"id" | "key", "field_value"}]`; an opportunity reads them back as
`{"id", "fieldValue"}`, a contact as `{"id", "value"}` (NOTES.md §8.6). A key may be given
with or without its model prefix (`opportunity.deal_source` or `deal_source`).
"""

from __future__ import annotations

from typing import Any

from sandbox.crm import Crm, Record
from sandbox.errors import unprocessable


def merge_custom_fields(
    crm: Crm,
    *,
    location_id: str,
    model: str,
    current: list[Record],
    incoming: Any,
    value_key: str,
) -> list[Record]:
    """`current` with `incoming` applied: same field replaced, an empty value removes it."""
    if not isinstance(incoming, list):
        raise unprocessable(["customFields must be an array"])
    definitions = [f for f in crm.custom_fields.values()
                   if f["locationId"] == location_id and f["model"] == model]
    by_id = {f["id"]: f for f in definitions}
    by_key: dict[str, Record] = {}
    for definition in definitions:
        by_key[definition["fieldKey"]] = definition
        by_key[definition["fieldKey"].split(".", 1)[-1]] = definition
    values = {item["id"]: item[value_key] for item in current}
    problems: list[str] = []
    for index, item in enumerate(incoming):
        if not isinstance(item, dict):
            problems.append(f"customFields.{index} must be an object")
            continue
        found = by_id.get(str(item.get("id"))) or by_key.get(str(item.get("key")))
        if found is None:
            reference = item.get("id") or item.get("key")
            problems.append(f"customFields.{index} refers to no {model} custom field ({reference})")
            continue
        value = item.get("field_value", item.get("value"))
        if value in (None, "", []):
            values.pop(found["id"], None)
        else:
            values[found["id"]] = value
    if problems:
        raise unprocessable(problems)
    return [{"id": field_id, value_key: value} for field_id, value in values.items()]
