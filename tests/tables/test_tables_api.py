"""Tables through the API: create, list, get, change (columns converted), delete, presets."""

from __future__ import annotations

from server.db import AuditEntry
from server.tables import presets
from tests.tables.helpers import add_row, make_table


def test_a_table_is_created_listed_and_read_with_its_columns(api):
    table = make_table(api)
    assert table["name"] == "Deals" and table["key_column"] == "code"
    assert [c["name"] for c in table["columns"]][:3] == ["name", "stage", "value"]
    assert table["columns"][2] == {"name": "value", "type": "money",
                                   "options": {"currency": "USD"}}
    add_row(api, table["id"], name="Acme")
    listed = api.get("/api/tables").json["tables"]
    assert [(t["name"], t["row_count"]) for t in listed] == [("Deals", 1)]
    assert api.get(f"/api/tables/{table['id']}").json["row_count"] == 1


def test_bad_tables_are_refused_with_the_reason(api):
    make_table(api)
    cases = [
        ({"name": "deals"}, 409, "exists already"),
        ({"name": "X", "columns": [{"name": "id", "type": "text"}]}, 422, "a field every row"),
        ({"name": "X", "columns": [{"name": "a", "type": "text"}, {"name": "A", "type": "text"}]},
         422, "there twice"),
        ({"name": "X", "columns": [{"name": "a", "type": "json"}], "key_column": "a"}, 422,
         "A key column is"),
        ({"name": "X", "columns": [{"name": "a", "type": "text"}], "key_column": "b"}, 422,
         "not a column"),
        ({"name": "X", "columns": [{"name": "a", "type": "reference",
                                    "options": {"table_id": 999}}]}, 422, "no table 999"),
        ({"name": "X", "columns": [{"name": "a", "type": "number", "options": {"x": 1}}]}, 422,
         "no option 'x'"),
        ({"name": "X", "columns": [{"name": "a", "type": "float"}]}, 422, "/columns/0/type"),
    ]
    for body, status, reason in cases:
        response = api.post("/api/tables", json=body)
        assert response.status_code == status, (body, response.json)
        assert response.mimetype == "application/problem+json"
        assert reason in response.json["detail"], (body, response.json["detail"])


def test_a_name_outside_ascii_taken_twice_is_a_conflict(api):
    """The databases' lower() leaves "É" alone; the second "Équipe" still gets a 409."""
    assert api.post("/api/tables", json={"name": "Équipe"}).status_code == 201
    again = api.post("/api/tables", json={"name": "Équipe"})
    assert again.status_code == 409 and "exists already" in again.json["detail"]
    assert [t["name"] for t in api.get("/api/tables").json["tables"]] == ["Équipe"]


def test_the_opportunities_preset_is_created_once(api, svc):
    first = api.post("/api/tables/presets/opportunities")
    assert first.status_code == 201
    assert [c["name"] for c in first.json["columns"]] == [
        "name", "stage", "value", "close_date", "pipeline_id", "owner_id", "status",
        "last_modified", "forecast", "ghl_id", "notes"]
    assert first.json["key_column"] == "ghl_id"
    again = api.post("/api/tables/presets/opportunities")
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert presets.ensure_presets(svc.db) == []  # what `flowlane up` calls: nothing to do
    assert api.post("/api/tables/presets/nope").status_code == 404


def test_ensure_presets_creates_what_is_missing(app, svc):
    assert presets.ensure_presets(svc.db) == ["Opportunities"]
    assert presets.ensure_presets(svc.db) == []


def test_columns_are_added_renamed_retyped_reordered_and_removed(api):
    table = make_table(api)
    add_row(api, table["id"], name="Acme", stage="42", code="A")
    add_row(api, table["id"], name="Beta", stage="7.5", code="B")
    response = api.patch(f"/api/tables/{table['id']}", json={
        "name": "Pipeline",
        "columns": {"change": [{"name": "stage", "new_name": "score", "type": "number"}],
                    "add": [{"name": "owner", "type": "text"}],
                    "remove": ["extra"]},
    })
    assert response.status_code == 200, response.json
    assert response.json["name"] == "Pipeline"
    assert response.json["values"] == {"converted": 2, "cleared": 0}
    names = [c["name"] for c in response.json["columns"]]
    assert "score" in names and "owner" in names and "extra" not in names
    rows = api.get(f"/api/tables/{table['id']}/rows?sort=score").json["rows"]
    assert [(r["name"], r["score"]) for r in rows] == [("Beta", 7.5), ("Acme", 42)]
    order = ["code", *[n for n in names if n != "code"]]
    response = api.patch(f"/api/tables/{table['id']}", json={"columns": {"order": order}})
    assert [c["name"] for c in response.json["columns"]] == order


def test_a_conversion_that_fails_changes_nothing_unless_asked_to_clear(api):
    table = make_table(api)
    good = add_row(api, table["id"], name="Acme", stage="42")
    bad = add_row(api, table["id"], name="Beta", stage="Proposal")
    body = {"columns": {"change": [{"name": "stage", "type": "number"}]}}
    refused = api.patch(f"/api/tables/{table['id']}", json=body)
    assert refused.status_code == 422
    assert "1 value(s) cannot be converted" in refused.json["detail"]
    assert refused.json["errors"] == [{"row": bad["id"], "column": "stage",
                                       "message": "stage: 'Proposal' is not a number (write "
                                                  "it like 1200 or 1,200.50)."}]
    column = api.get(f"/api/tables/{table['id']}").json["columns"][1]
    assert column["type"] == "text"  # nothing changed
    cleared = api.patch(f"/api/tables/{table['id']}", json={**body, "invalid": "clear"})
    assert cleared.status_code == 200 and cleared.json["values"] == {"converted": 1, "cleared": 1}
    assert api.get(f"/api/tables/{table['id']}/rows/{good['id']}").json["stage"] == 42
    assert api.get(f"/api/tables/{table['id']}/rows/{bad['id']}").json["stage"] is None


def test_choosing_a_key_column_needs_unique_values(api):
    table = make_table(api, key_column=None)
    add_row(api, table["id"], name="Acme", stage="Won")
    add_row(api, table["id"], name="Beta", stage="Won")
    refused = api.patch(f"/api/tables/{table['id']}", json={"key_column": "stage"})
    assert refused.status_code == 409 and "'Won'" in refused.json["detail"]
    accepted = api.patch(f"/api/tables/{table['id']}", json={"key_column": "name"})
    assert accepted.status_code == 200 and accepted.json["key_column"] == "name"
    taken = api.post(f"/api/tables/{table['id']}/rows", json={"values": {"name": "Acme"}})
    assert taken.status_code == 409 and "already used by row" in taken.json["detail"]
    renamed = api.patch(f"/api/tables/{table['id']}",
                        json={"columns": {"change": [{"name": "name", "new_name": "title"}]}})
    assert renamed.json["key_column"] == "title"


def test_references_point_at_rows_of_another_table(api):
    accounts = make_table(api, "Accounts", [{"name": "name", "type": "text"}], key_column=None)
    acme = add_row(api, accounts["id"], name="Acme")
    deals = make_table(api, "Deals", [
        {"name": "title", "type": "text"},
        {"name": "account", "type": "reference", "options": {"table_id": accounts["id"]}}],
        key_column=None)
    deal = add_row(api, deals["id"], title="Big one", account=acme["id"])
    assert deal["account"] == acme["id"]
    missing = api.post(f"/api/tables/{deals['id']}/rows",
                       json={"values": {"title": "x", "account": 999}})
    assert missing.status_code == 422 and "no row 999" in missing.json["detail"]
    # A row another row refers to stays, and so does its table.
    refused = api.delete(f"/api/tables/{accounts['id']}/rows/{acme['id']}")
    assert refused.status_code == 409 and "referred to by row" in refused.json["detail"]
    refused = api.delete(f"/api/tables/{accounts['id']}")
    assert refused.status_code == 409 and "Deals.account" in refused.json["detail"]
    assert api.delete(f"/api/tables/{deals['id']}/rows/{deal['id']}").status_code == 204
    assert api.delete(f"/api/tables/{accounts['id']}/rows/{acme['id']}").status_code == 204


def test_deleting_a_table_deletes_its_rows_and_is_audited(api, svc):
    table = make_table(api)
    add_row(api, table["id"], name="Acme")
    assert api.delete(f"/api/tables/{table['id']}").status_code == 204
    assert api.get(f"/api/tables/{table['id']}").status_code == 404
    with svc.db.session() as session:
        actions = [(a.action, a.target_type) for a in
                   session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions == [("created", "table"), ("created", "table_row"), ("deleted", "table")]


def test_the_pipeline_dashboard_reads_the_opportunities_table(api):
    table = api.post("/api/tables/presets/opportunities").json
    add_row(api, table["id"], name="A", stage="Proposal", value=1000, status="open",
            forecast=50, ghl_id="g1")
    add_row(api, table["id"], name="B", stage="Won", value=300, status="WON",
            close_date="2024-05-02", ghl_id="g2")
    dashboard = api.get("/api/dashboards/pipeline").json
    assert dashboard["totals"]["count"] == 2
    assert dashboard["totals"]["open_value"] == 1000 and dashboard["totals"]["won_value"] == 300
    missing = api.get("/api/dashboards/pipeline?table=Nope")
    assert missing.status_code == 404 and "no data table 'Nope'" in missing.json["detail"]
