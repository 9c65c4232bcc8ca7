"""Rows of the Opportunities table and HighLevel opportunities, mapped one way for every
sync node (send a row, update a row, reconcile).

A row (the preset "Opportunities" table) names its stage by *name*; HighLevel by id:

    row column     HighLevel field
    name           name
    stage          pipelineStageId (the stage's name in its pipeline, looked up live)
    value          monetaryValue
    pipeline_id    pipelineId
    owner_id       assignedTo
    status         status
    last_modified  updatedAt
    ghl_id         id

`Catalog` holds the connection's pipelines with their stages (cached for a minute by the
options cache, asked again when a stage name is not found, so a stage added a moment ago
is found).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.ghl import options
from nodes.ghl.auth import Connection
from nodes.ghl.client import GhlClient
from nodes.ghl.errors import GhlNotFound
from nodes.ghl.openapi import find
from nodes.registry import Item, NodeError, RunContext
from server.engine.filters import to_datetime, to_number

#: Row columns the sync compares, in the order changes are told.
FIELDS = ("name", "stage", "value", "pipeline_id", "owner_id", "status")
#: Row column -> the HighLevel field written for it.
GHL_FIELD = {"name": "name", "stage": "pipelineStageId", "value": "monetaryValue",
             "pipeline_id": "pipelineId", "owner_id": "assignedTo", "status": "status"}
STATUSES = ("open", "won", "lost", "abandoned")

GET = "GET /opportunities/{id}"
UPDATE = "PUT /opportunities/{id}"
UPSERT = "POST /opportunities/upsert"
SEARCH = "GET /opportunities/search"
NOTES = "GET /contacts/{contactId}/notes"
CREATE_CONTACT = "POST /contacts/"
#: What the 2026 upsert body requires besides the opportunity (NOTES.md §8.8).
UPSERT_DEFAULTS = {"followers": [], "isRemoveAllFollowers": False, "followersActionType": "add"}


def operation(key: str) -> Any:
    method, path = key.split(" ", 1)
    found = find(method, path)
    assert found is not None, key
    return found


class Catalog:
    """The connection's pipelines and stages, by id and by name (names ignore case)."""

    def __init__(self, ctx: RunContext, refresh: bool = False) -> None:
        self.host = ctx.service("ghl")
        self.connection = Connection.of(ctx.credential)
        self.pipelines: list[dict[str, Any]] = []
        self._fresh = False
        self._load(refresh)

    def _load(self, refresh: bool) -> None:
        self.pipelines = [p for p in options.pipelines_raw(self.host, self.connection, refresh)
                          if isinstance(p, dict)]
        self._fresh = self._fresh or refresh

    def _again(self) -> bool:
        """Ask HighLevel again (once per catalog) after a miss; True when it did."""
        if self._fresh:
            return False
        self._load(refresh=True)
        return True

    def pipeline(self, ref: Any) -> dict[str, Any] | None:
        """A pipeline by id or by name."""
        text = str(ref or "").strip()
        if not text:
            return None
        for attempt in range(2):
            for pipeline in self.pipelines:
                if pipeline.get("id") == text:
                    return pipeline
            for pipeline in self.pipelines:
                if str(pipeline.get("name") or "").casefold() == text.casefold():
                    return pipeline
            if attempt == 0 and not self._again():
                break
        return None

    def stages(self, pipeline: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [s for s in pipeline.get("stages") or [] if isinstance(s, dict)]

    def stage_by_id(self, stage_id: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(pipeline, stage) of a stage id, or (None, None)."""
        for pipeline in self.pipelines:
            for stage in self.stages(pipeline):
                if stage.get("id") == stage_id:
                    return pipeline, stage
        return None, None

    def stage_name(self, stage_id: Any) -> str | None:
        _pipeline, stage = self.stage_by_id(stage_id)
        return str(stage.get("name")) if stage else None

    def stage_id(self, pipeline_ref: Any, stage_ref: Any) -> str | None:
        """The id of a stage given by name (or id) in a pipeline given by id (or name)."""
        text = str(stage_ref or "").strip()
        if not text:
            return None
        for attempt in range(2):
            pipeline = self.pipeline(pipeline_ref)
            if pipeline is not None:
                for stage in self.stages(pipeline):
                    if stage.get("id") == text or str(
                            stage.get("name") or "").casefold() == text.casefold():
                        return str(stage["id"])
            if attempt == 0 and not self._again():
                break
        return None

    def require_stage_id(self, pipeline_ref: Any, stage_ref: Any) -> str:
        stage_id = self.stage_id(pipeline_ref, stage_ref)
        if stage_id is not None:
            return stage_id
        pipeline = self.pipeline(pipeline_ref)
        if pipeline is None:
            raise NodeError(f"HighLevel has no pipeline {pipeline_ref!r}.")
        names = ", ".join(str(s.get("name")) for s in self.stages(pipeline))
        raise NodeError(f"The stage {stage_ref!r} does not exist in the pipeline "
                        f"{pipeline.get('name')!r} in HighLevel (its stages: {names}). "
                        "Rename the row's stage, or run 'Sync pipelines' to list them.")

    def stage_names(self) -> set[str]:
        """Every stage name of every pipeline, ignoring case."""
        return {str(s.get("name") or "").casefold() for p in self.pipelines
                for s in self.stages(p)}


# -- the mapping ----------------------------------------------------------------------------------

def row_values(opportunity: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """An opportunity as the row columns it fills."""
    stage_id = opportunity.get("pipelineStageId")
    return {
        "name": opportunity.get("name"),
        "stage": catalog.stage_name(stage_id) or stage_id,
        "value": opportunity.get("monetaryValue"),
        "pipeline_id": opportunity.get("pipelineId"),
        "owner_id": opportunity.get("assignedTo") or None,
        "status": opportunity.get("status"),
        "last_modified": opportunity.get("updatedAt"),
        "ghl_id": opportunity.get("id"),
    }


def _same(field: str, left: Any, right: Any) -> bool:
    if is_empty(left) and is_empty(right):
        return True
    if is_empty(left) or is_empty(right):
        return False
    if field == "value":
        try:
            return round(float(to_number(left)), 2) == round(float(to_number(right)), 2)
        except (TypeError, ValueError):
            return False
    if field in ("stage", "status"):
        return str(left).strip().casefold() == str(right).strip().casefold()
    return str(left).strip() == str(right).strip()


def differences(row: Mapping[str, Any], ghl: Mapping[str, Any], *,
                skip_empty_row: bool = False,
                fields: tuple[str, ...] = FIELDS) -> list[dict[str, Any]]:
    """The compared columns whose values differ: [{field, table, ghl}].

    `skip_empty_row`: a column the row leaves empty says nothing (sending a row never
    clears HighLevel's owner because the row has none)."""
    found = []
    for field in fields:
        mine, theirs = row.get(field), ghl.get(field)
        if skip_empty_row and is_empty(mine):
            continue
        if not _same(field, mine, theirs):
            found.append({"field": field, "table": mine, "ghl": theirs})
    return found


def summary(changes: list[dict[str, Any]], towards: str = "ghl") -> str:
    """"stage: Proposal Sent -> Negotiation; value: 1200 -> 1500" (old -> new)."""
    source = "table" if towards == "ghl" else "ghl"
    parts = [f"{c['field']}: {_show(c[towards])} -> {_show(c[source])}" for c in changes]
    return "; ".join(parts) or "no changes"


def ghl_body(row: Mapping[str, Any], fields: list[str], catalog: Catalog,
             pipeline_id: Any) -> dict[str, Any]:
    """The HighLevel fields for these row columns (a stage needs its pipeline)."""
    body: dict[str, Any] = {}
    for field in fields:
        value = row.get(field)
        if is_empty(value):
            continue
        if field == "stage":
            body["pipelineStageId"] = catalog.require_stage_id(pipeline_id, value)
            body["pipelineId"] = str(catalog.pipeline(pipeline_id)["id"])  # type: ignore[index]
        elif field == "value":
            try:
                body["monetaryValue"] = to_number(value)
            except (TypeError, ValueError):
                raise NodeError(f"The value {value!r} is not a number.") from None
        elif field == "status":
            status = str(value).strip().lower()
            if status not in STATUSES:
                raise NodeError(f"The status {value!r} is not one of {', '.join(STATUSES)}.")
            body["status"] = status
        elif field == "pipeline_id":
            pipeline = catalog.pipeline(value)
            if pipeline is None:
                raise NodeError(f"HighLevel has no pipeline {value!r}.")
            body["pipelineId"] = pipeline["id"]
        else:
            body[GHL_FIELD[field]] = str(value).strip()
    return body


def newer(row: Mapping[str, Any], opportunity: Mapping[str, Any]) -> str:
    """"table" or "ghl": whose last change is later (HighLevel on a tie or when unknown)."""
    mine, theirs = _moment(row.get("last_modified")), _moment(opportunity.get("updatedAt"))
    if mine is not None and (theirs is None or mine > theirs):
        return "table"
    return "ghl"


# -- HighLevel calls the sync nodes share ----------------------------------------------------------

def fetch(client: GhlClient, opportunity_id: str) -> dict[str, Any] | None:
    """The opportunity, or None when HighLevel has no such opportunity (any more)."""
    try:
        body = client.call(operation(GET), path={"id": opportunity_id}).body
    except GhlNotFound:
        return None
    found = body.get("opportunity") if isinstance(body, dict) else None
    return found if isinstance(found, dict) else None


def update(client: GhlClient, opportunity_id: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.call(operation(UPDATE), path={"id": opportunity_id}, body=body).body
    return dict(answer.get("opportunity") or {}) if isinstance(answer, dict) else {}


def row_of(item: Item, given: Any) -> dict[str, Any]:
    """The row an item stands for: the param, a table change's `row`, or the item."""
    if isinstance(given, Mapping):
        return dict(given)
    if isinstance(item.get("row"), Mapping):
        return dict(item["row"])
    return dict(item)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    return "(empty)" if is_empty(value) else str(value)


def _moment(value: Any) -> Any:
    if is_empty(value):
        return None
    try:
        return to_datetime(value)
    except ValueError:
        return None


#: Rows read per page when a node reads a whole table.
PAGE = 5_000


def all_rows(tables: Any, table: str) -> list[dict[str, Any]]:
    """Every row of a data table, in id order."""
    found: list[dict[str, Any]] = []
    while True:
        page = tables.search(table, sort=[{"column": "id"}], limit=PAGE, offset=len(found))
        found.extend(page)
        if len(page) < PAGE:
            return found
