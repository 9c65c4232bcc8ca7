"""Every documented v2 operation is a node, with a valid params schema, its Version and
scopes; the overlay's curated nodes are the seed's operations."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from nodes import registry
from nodes.ghl import operations
from tests.ghl.spec_check import spec
from tests.sandbox.spec import METHODS, SPEC


def spec_operations() -> set[str]:
    """Every METHOD /path of the vendored specs, read without the connector's code."""
    found = set()
    for file in (SPEC / "apps").glob("*.json"):
        for path, item in json.loads(file.read_text())["paths"].items():
            found |= {f"{method.upper()} {path}" for method in item if method in METHODS}
    return found


def ghl_specs() -> list[registry.NodeSpec]:
    return [s for s in registry.all_specs() if s.type.startswith("ghl.") and not s.trigger]


def test_every_spec_operation_has_exactly_one_node():
    documented = spec_operations()
    assert len(documented) == 576
    nodes = [s.meta["operation"] for s in ghl_specs() if s.meta.get("operation")]
    assert sorted(nodes) == sorted(documented)


def test_node_types_are_unique_and_grouped_by_app():
    specs = ghl_specs()
    assert len({s.type for s in specs}) == len(specs)
    groups = {s.group for s in specs}
    assert "HighLevel · Opportunities" in groups and "HighLevel · Contacts" in groups
    assert all(g.startswith("HighLevel · ") for g in groups)


def test_generated_params_are_valid_json_schema():
    for declared in registry.all_specs():
        if declared.type.startswith("ghl."):
            Draft202012Validator.check_schema(declared.params)


def test_meta_carries_the_operations_version_and_scopes():
    for node in ghl_specs():
        if not node.meta.get("operation"):
            continue
        method, path = node.meta["operation"].split(" ", 1)
        assert node.meta["version"] == spec().version(method, path), node.type
    search = operations.SPECS["GET /opportunities/search"]
    assert search.meta["scopes"] == ["opportunities.readonly"]
    assert search.meta["version"] == "2021-07-28"
    slots = operations.SPECS["GET /calendars/{calendarId}/free-slots"]
    assert slots.meta["version"] == "2021-04-15"


def test_required_enums_and_help_come_from_the_spec():
    create = operations.SPECS["POST /opportunities/"].params
    assert {"pipelineId", "name", "status", "contactId"} <= set(create["required"])
    assert "locationId" not in create["required"]  # the connection fills it
    status = operations.SPECS["PUT /opportunities/{id}/status"].params["properties"]["status"]
    assert status["enum"] == ["open", "won", "lost", "abandoned"]
    search = operations.SPECS["GET /opportunities/search"].params["properties"]
    assert search["contact_id"]["description"] == "Contact Id"
    generated = operations.SPECS["POST /calendars/"].params  # not curated: the spec verbatim
    assert "name" in generated["required"]
    assert generated["properties"]["calendarType"]["enum"]


def test_undeclared_path_params_are_still_params():
    # PUT /users/{userId} forgets to declare userId in the spec.
    update_user = operations.SPECS["PUT /users/{userId}"].params
    assert "userId" in update_user["required"]


def test_dropdowns_name_their_option_source():
    search = operations.SPECS["GET /opportunities/search"].params["properties"]
    assert search["pipeline_id"]["ui"] == {"options": "ghl.pipelines", "depends_on": []}
    assert search["pipeline_stage_id"]["ui"] == {"options": "ghl.stages",
                                                 "depends_on": ["pipeline_id"]}
    assert search["assigned_to"]["ui"]["options"] == "ghl.users"
    slots = operations.SPECS["GET /calendars/{calendarId}/free-slots"].params["properties"]
    assert slots["calendarId"]["ui"]["options"] == "ghl.calendars"


CURATED = {
    "ghl.opportunities.search", "ghl.opportunities.get", "ghl.opportunities.pipelines",
    "ghl.opportunities.create", "ghl.opportunities.update", "ghl.opportunities.update_status",
    "ghl.opportunities.delete", "ghl.opportunities.upsert", "ghl.opportunities.followers_add",
    "ghl.opportunities.followers_remove", "ghl.contacts.create", "ghl.contacts.update",
    "ghl.contacts.upsert", "ghl.contacts.get", "ghl.contacts.search", "ghl.contacts.delete",
    "ghl.contacts.tags_add", "ghl.contacts.tags_remove", "ghl.notes.attach_to_opportunity",
    "ghl.notes.list", "ghl.notes.create", "ghl.notes.get", "ghl.notes.update",
    "ghl.notes.delete", "ghl.tasks.list", "ghl.tasks.create", "ghl.tasks.get",
    "ghl.tasks.update", "ghl.tasks.complete", "ghl.tasks.delete", "ghl.users.list",
    "ghl.custom_fields.list", "ghl.calendars.free_slots", "ghl.calendars.book_appointment",
}


def test_the_seeds_operations_are_curated_nodes():
    for node_type in CURATED:
        declared = registry.get(node_type)
        assert declared is not None, node_type
        assert declared.meta.get("curated"), node_type
        assert not declared.title.startswith(("get-", "post-")), node_type


def test_upsert_accepts_the_put_spelling():
    upsert = operations.spec_for("POST", "/opportunities/upsert")
    assert upsert is not None and upsert.type == "ghl.opportunities.upsert"
    assert operations.spec_for("PUT", "/opportunities") is upsert
    assert operations.spec_for("POST", "/opportunities") is operations.SPECS[
        "POST /opportunities/"]


def test_catalogue_serves_them(api):
    nodes = api.get("/api/nodes").json["nodes"]
    types = {n["type"] for n in nodes}
    assert types >= CURATED
    search = next(n for n in nodes if n["type"] == "ghl.opportunities.search")
    assert search["credential"] == "ghl"
    assert search["params"]["properties"]["return_all"]["type"] == "boolean"


def test_a_generated_node_outputs_one_item_per_record_of_a_list_answer(node):
    """GET /blogs/authors answers {"authors": [...]}: each author is an item, as curated
    nodes do; an answer that is one record holding a list stays one item."""
    from nodes.ghl.openapi import operations as spec_ops

    keys = {op.key: op.list_key for op in spec_ops()}
    assert keys["GET /contacts/"] == "contacts"  # beside it only `count`
    assert keys["GET /conversation-ai/agents/{agentId}"] is None  # an agent with its actions
    authors = operations.spec_for("GET", "/blogs/authors")
    assert authors is not None and "one item per `authors` entry" in authors.description
    items = node(authors.type, {"limit": 5, "offset": 0})["main"]
    assert items and all("authors" not in item and item.get("_id") for item in items)
