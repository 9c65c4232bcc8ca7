"""Preset tables. "Opportunities" holds the seed's key fields, so the sync, routing, alert and
dashboard workflows share one shape; `flowlane up` creates it when it is missing."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db import DataTable
from server.errors import NotFound
from server.tables import store

OPPORTUNITIES: dict[str, Any] = {
    "name": "Opportunities",
    "description": "Opportunities kept in Flowlane; ghl_id links a row to HighLevel.",
    "key_column": "ghl_id",
    "columns": [
        {"name": "name", "type": "text"},
        {"name": "stage", "type": "text",
         "options": {"description": "The stage's name in its pipeline."}},
        {"name": "value", "type": "money", "options": {"currency": "USD"}},
        {"name": "close_date", "type": "date"},
        {"name": "pipeline_id", "type": "text"},
        {"name": "owner_id", "type": "text",
         "options": {"description": "The HighLevel user the opportunity is assigned to."}},
        {"name": "status", "type": "text",
         "options": {"choices": ["open", "won", "lost", "abandoned"]}},
        {"name": "last_modified", "type": "date", "options": {"time": True}},
        {"name": "forecast", "type": "number",
         "options": {"description": "Probability of winning, in percent (0-100)."}},
        {"name": "ghl_id", "type": "text",
         "options": {"description": "The opportunity's id in HighLevel (unique)."}},
        {"name": "notes", "type": "text"},
    ],
}
PIPELINES: dict[str, Any] = {
    "name": "Pipelines",
    "description": "HighLevel pipelines and their stages, one row per stage, kept by the "
                   "'Sync pipelines' node; stage_id links a row to HighLevel.",
    "key_column": "stage_id",
    "columns": [
        {"name": "pipeline_name", "type": "text"},
        {"name": "stage_name", "type": "text"},
        {"name": "position", "type": "number",
         "options": {"description": "The stage's place in its pipeline, from 0."}},
        {"name": "pipeline_id", "type": "text"},
        {"name": "stage_id", "type": "text",
         "options": {"description": "The stage's id in HighLevel (unique)."}},
        {"name": "synced_at", "type": "date", "options": {"time": True}},
    ],
}
PRESETS: dict[str, dict[str, Any]] = {"opportunities": OPPORTUNITIES, "pipelines": PIPELINES}
#: Made by `flowlane up`; the others when first used (Sync pipelines makes "Pipelines").
AT_START = ("opportunities",)


def create_preset(session: Session, preset: str = "opportunities") -> tuple[DataTable, bool]:
    """The preset's table, made unless it exists (by preset, or a table of that name);
    returns it and whether it was made now. The caller commits."""
    if preset not in PRESETS:
        raise NotFound(f"There is no preset table {preset!r}; presets: {', '.join(PRESETS)}.")
    spec = copy.deepcopy(PRESETS[preset])
    existing = session.scalars(select(DataTable).where(DataTable.preset == preset)).first()
    existing = existing or session.scalars(select(DataTable).where(
        func.lower(DataTable.name) == spec["name"].lower())).first()
    if existing is not None:
        return existing, False
    table = store.create_table(session, spec["name"], spec["columns"],
                               key_column=spec["key_column"], description=spec["description"],
                               preset=preset)
    return table, True


def ensure_presets(database: Any) -> list[str]:
    """For `flowlane up`: create the preset tables that are missing; returns their names.

    `database` is a `server.db.Database` (anything with `.session()`); call it after the
    migrations ran.
    """
    created = []
    with database.session() as session:
        for preset in AT_START:
            table, made = create_preset(session, preset)
            if made:
                created.append(table.name)
        session.commit()
    return created
