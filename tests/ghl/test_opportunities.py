"""The curated opportunity nodes against the sandbox: get, pipelines with stages, create,
update, status, delete, upsert (both spellings and both body shapes), followers, custom
fields written {id, value} and read back {id, fieldValue}."""

from __future__ import annotations

import pytest

from nodes.ghl.errors import GhlNotFound
from nodes.ghl.operations import spec_for
from tests.ghl.helpers import main


@pytest.fixture
def world(node):
    """The seeded location's pipelines, users and opportunity custom fields, via the nodes."""
    pipelines = main(node("ghl.opportunities.pipelines", {}))
    users = main(node("ghl.users.list", {}))
    fields = main(node("ghl.custom_fields.list", {"model": "opportunity"}))
    return {"pipelines": pipelines, "users": users, "fields": fields}


@pytest.fixture
def contact(node):
    def make(email):
        return main(node("ghl.contacts.create", {"firstName": "Test", "lastName": "Deal",
                                                 "email": email}))[0]
    return make


def test_pipelines_come_with_their_stages(world):
    assert len(world["pipelines"]) == 2
    stages = world["pipelines"][0]["stages"]
    assert stages and {"id", "name", "position"} <= set(stages[0])
    assert len(world["users"]) == 5
    assert all(f["model"] == "opportunity" for f in world["fields"])


def test_create_get_update_status_delete(node, world, contact):
    pipeline = world["pipelines"][0]
    first, second = pipeline["stages"][0], pipeline["stages"][1]
    owner = world["users"][0]["id"]
    person = contact("create-flow@example.org")
    created = main(node("ghl.opportunities.create", {
        "name": "Big deal", "pipelineId": pipeline["id"], "pipelineStageId": first["id"],
        "contactId": person["id"], "status": "open", "monetaryValue": 1200,
        "assignedTo": owner}))[0]
    assert created["name"] == "Big deal" and created["monetaryValue"] == 1200
    fetched = main(node("ghl.opportunities.get", {"id": created["id"]}))[0]
    assert fetched["pipelineStageId"] == first["id"] and fetched["assignedTo"] == owner
    updated = main(node("ghl.opportunities.update", {
        "id": created["id"], "pipelineStageId": second["id"], "name": "Bigger deal"}))[0]
    assert (updated["pipelineStageId"], updated["name"]) == (second["id"], "Bigger deal")
    answer = main(node("ghl.opportunities.update_status", {"id": created["id"],
                                                           "status": "won"}))[0]
    assert answer == {"succeded": True}
    assert main(node("ghl.opportunities.get", {"id": created["id"]}))[0]["status"] == "won"
    assert main(node("ghl.opportunities.delete", {"id": created["id"]})) == [
        {"succeded": True}]
    with pytest.raises(GhlNotFound):
        node("ghl.opportunities.get", {"id": created["id"]})


def test_custom_fields_are_written_with_field_value_and_read_as_field_value(node, world,
                                                                           contact):
    by_key = {f["fieldKey"]: f for f in world["fields"]}
    source = by_key["opportunity.deal_source"]["id"]
    products = by_key["opportunity.products"]["id"]
    created = main(node("ghl.opportunities.create", {
        "name": "Custom", "pipelineId": world["pipelines"][0]["id"],
        "contactId": contact("custom@example.org")["id"], "status": "open",
        "customFields": [{"id": source, "value": "Webinar"},
                         {"id": products, "value": ["SEO retainer", "CRM setup"]}]}))[0]
    fields = {f["id"]: f["fieldValue"] for f in created["customFields"]}
    assert fields == {source: "Webinar", products: ["SEO retainer", "CRM setup"]}
    # An object of id -> value works too, and an update keeps the other field.
    main(node("ghl.opportunities.update", {"id": created["id"],
                                            "customFields": {source: "Referral"}}))
    again = main(node("ghl.opportunities.get", {"id": created["id"]}))[0]
    assert {f["id"]: f["fieldValue"] for f in again["customFields"]} == {
        source: "Referral", products: ["SEO retainer", "CRM setup"]}


def test_upsert_creates_then_updates_the_contacts_opportunity(node, world, contact):
    pipeline = world["pipelines"][0]["id"]
    person = contact("upsert@example.org")
    first = main(node("ghl.opportunities.upsert", {
        "pipelineId": pipeline, "contactId": person["id"], "name": "Upserted",
        "status": "open", "monetaryValue": 300}))[0]
    assert first["new"] is True
    # A value rendered from an item as text is sent as the number the spec wants.
    second = main(node("ghl.opportunities.upsert", {
        "pipelineId": pipeline, "contactId": person["id"],
        "monetaryValue": "{{ item.amount }}"}, [{"amount": "450"}]))[0]
    assert second["new"] is False
    assert second["opportunity"]["id"] == first["opportunity"]["id"]
    assert second["opportunity"]["monetaryValue"] == 450
    by_id = main(node("ghl.opportunities.upsert", {
        "id": first["opportunity"]["id"], "pipelineId": pipeline, "name": "Renamed"}))[0]
    assert by_id["new"] is False and by_id["opportunity"]["name"] == "Renamed"


def test_the_put_spelling_of_upsert_finds_the_same_node(node, world, contact):
    upsert = spec_for("PUT", "/opportunities")
    assert upsert is not None and upsert.meta["operation"] == "POST /opportunities/upsert"
    answer = main(node(upsert.type, {"pipelineId": world["pipelines"][1]["id"],
                                     "contactId": contact("put@example.org")["id"],
                                     "name": "Via PUT spelling"}))[0]
    assert answer["new"] is True


def test_followers_added_and_removed(node, world, contact):
    users = [u["id"] for u in world["users"][:3]]
    deal = main(node("ghl.opportunities.create", {
        "name": "Followed", "pipelineId": world["pipelines"][0]["id"],
        "contactId": contact("follow@example.org")["id"], "status": "open"}))[0]
    added = main(node("ghl.opportunities.followers_add", {"id": deal["id"],
                                                          "followers": users}))[0]
    assert sorted(added["followersAdded"]) == sorted(users)
    removed = main(node("ghl.opportunities.followers_remove", {"id": deal["id"],
                                                              "followers": users[:1]}))[0]
    assert removed["followersRemoved"] == users[:1]
    assert sorted(removed["followers"]) == sorted(users[1:])


def test_one_request_per_item_with_expressions(node, world, contact):
    pipeline = world["pipelines"][0]["id"]
    people = [contact(f"item{i}@example.org") for i in range(3)]
    items = [{"who": p["id"], "value": str(100 * (i + 1))} for i, p in enumerate(people)]
    made = main(node("ghl.opportunities.create", {
        "name": "Deal for {{ item.who }}", "pipelineId": pipeline,
        "contactId": "{{ item.who }}", "status": "open",
        "monetaryValue": "{{ item.value }}"}, items))
    assert [m["monetaryValue"] for m in made] == [100, 200, 300]
    assert [m["contactId"] for m in made] == [p["id"] for p in people]
