"""The curated contact nodes against the sandbox: create, get, update, upsert, search (one
page and every page), tags, delete; custom fields written {id, value}."""

from __future__ import annotations

import pytest

from nodes.ghl.errors import GhlNotFound
from tests.ghl.helpers import main


def test_create_get_update_delete(node):
    made = main(node("ghl.contacts.create", {"firstName": "Ada", "lastName": "Lovelace",
                                             "email": "ada@example.org",
                                             "phone": "+15550001111"}))[0]
    assert made["email"] == "ada@example.org"
    fetched = main(node("ghl.contacts.get", {"contactId": made["id"]}))[0]
    assert (fetched["firstName"], fetched["locationId"]) == ("Ada", made["locationId"])
    changed = main(node("ghl.contacts.update", {"contactId": made["id"],
                                                "website": "https://engines.example"}))[0]
    assert changed["website"] == "https://engines.example"
    assert main(node("ghl.contacts.delete", {"contactId": made["id"]}))[0] == {
        "succeded": True}
    with pytest.raises(GhlNotFound):
        node("ghl.contacts.get", {"contactId": made["id"]})


def test_upsert_finds_the_contact_by_email(node):
    first = main(node("ghl.contacts.upsert", {"email": "grace@example.org",
                                              "firstName": "Grace"}))[0]
    second = main(node("ghl.contacts.upsert", {"email": "grace@example.org",
                                               "lastName": "Hopper"}))[0]
    assert first["new"] is True and second["new"] is False
    assert second["contact"]["id"] == first["contact"]["id"]
    assert second["contact"]["lastName"] == "Hopper"


def test_custom_fields_on_a_contact(node):
    fields = main(node("ghl.custom_fields.list", {"model": "contact"}))
    assert fields and all(f["model"] == "contact" for f in fields)
    score = next(f for f in fields if f["dataType"] == "NUMERICAL")
    made = main(node("ghl.contacts.create", {
        "firstName": "Custom", "email": "custom.contact@example.org",
        "customFields": [{"id": score["id"], "value": "42"}]}))[0]
    fetched = main(node("ghl.contacts.get", {"contactId": made["id"]}))[0]
    # Contacts read custom fields back as {id, value} (opportunities: {id, fieldValue}).
    assert {"id": score["id"], "value": "42"} in fetched["customFields"]


def test_tags_added_and_removed(node):
    made = main(node("ghl.contacts.create", {"firstName": "Tag", "email": "tag@example.org",
                                             "tags": ["lead"]}))[0]
    added = main(node("ghl.contacts.tags_add", {"contactId": made["id"],
                                                "tags": ["vip", "webinar"]}))[0]
    assert set(added["tags"]) >= {"lead", "vip", "webinar"}
    removed = main(node("ghl.contacts.tags_remove", {"contactId": made["id"],
                                                     "tags": ["lead"]}))[0]
    assert "lead" not in removed["tags"]
    fetched = main(node("ghl.contacts.get", {"contactId": made["id"]}))[0]
    assert set(fetched["tags"]) == {"vip", "webinar"}


def test_search_by_text_and_every_page(node):
    made = main(node("ghl.contacts.create", {"firstName": "Searchable",
                                             "lastName": "Person",
                                             "email": "needle@example.org"}))[0]
    found = main(node("ghl.contacts.search", {"query": "needle@example.org"}))
    assert [c["id"] for c in found] == [made["id"]]
    one_page = main(node("ghl.contacts.search", {"pageLimit": 30}))
    assert len(one_page) == 30
    everyone = main(node("ghl.contacts.search", {"pageLimit": 50, "return_all": True,
                                                 "max_items": 0}))
    assert len(everyone) == len({c["id"] for c in everyone}) == 201
    capped = main(node("ghl.contacts.search", {"return_all": True, "max_items": 60}))
    assert len(capped) == 60


def test_search_filters(node):
    node("ghl.contacts.create", {"firstName": "Filter", "email": "filter@example.org",
                                 "companyName": "Filtered Co"})
    found = main(node("ghl.contacts.search", {"filters": [
        {"field": "companyName", "operator": "eq", "value": "Filtered Co"}]}))
    assert [c["companyName"] for c in found] == ["Filtered Co"]
