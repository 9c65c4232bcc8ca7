"""Rows through the API: create, read, change, delete; every filter operator, sorting, offset
and cursor pagination with totals."""

from __future__ import annotations

import json

import pytest

from tests.tables.helpers import add_row, make_table

DEALS = [
    {"name": "Acme", "stage": "Won", "value": 5000, "close_date": "2024-01-10", "won": True,
     "code": "A"},
    {"name": "beta", "stage": "Proposal", "value": 1200.5, "close_date": "2024-02-01",
     "won": False, "code": "B"},
    {"name": "Gamma", "stage": "Proposal", "value": 300, "close_date": "2024-03-05",
     "code": "C", "extra": {"tags": ["vip"]}},
    {"name": "Delta 100%", "stage": "Lost", "value": None, "close_date": None, "code": "D"},
    {"name": "epsilon_x", "stage": None, "value": 1200.5, "close_date": "2024-01-10",
     "won": True, "code": "E"},
]


@pytest.fixture
def deals(api):
    table = make_table(api)
    ids = {deal["code"]: add_row(api, table["id"], **deal)["id"] for deal in DEALS}
    return table["id"], ids


def codes(api, table_id, query=""):
    response = api.get(f"/api/tables/{table_id}/rows?limit=1000&{query}")
    assert response.status_code == 200, response.json
    assert response.json["total"] == len(response.json["rows"])
    return [row["code"] for row in response.json["rows"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("filter=stage:eq:Proposal", ["B", "C"]),
    ("filter=stage:eq:proposal", []),  # eq is exact
    ("filter=stage:ne:Proposal", ["A", "D", "E"]),  # keeps the empty stage
    ("filter=value:gt:1200.5", ["A"]),
    ("filter=value:gte:1200.5", ["A", "B", "E"]),
    ("filter=value:lt:1200.5", ["C"]),
    ("filter=value:lte:$1,200.50", ["B", "C", "E"]),  # the value converts like a write
    ("filter=value:in:300,5000", ["A", "C"]),
    ("filter=close_date:lt:2024-02-01", ["A", "E"]),
    ("filter=close_date:gte:2024/02/01", ["B", "C"]),
    ("filter=won:eq:yes", ["A", "E"]),
    ("filter=won:eq:false", ["B"]),
    ("filter=name:contains:MM", ["C"]),  # contains ignores case
    ("filter=name:contains:100%25", ["D"]),  # % is a character, not a wildcard
    ("filter=name:contains:n_x", ["E"]),
    ("filter=name:not_contains:a", ["E"]),
    ("filter=name:starts_with:BE", ["B"]),
    ("filter=name:ends_with:A", ["B", "C"]),
    ("filter=stage:is_empty:", ["E"]),
    ("filter=value:is_not_empty:", ["A", "B", "C", "E"]),
    ("filter=extra:contains:vip", ["C"]),
    ("filter=stage:eq:Proposal&filter=value:gt:1000", ["B"]),
    ("filter=stage:eq:Won&filter=stage:eq:Lost&match=any", ["A", "D"]),
    ("q=TA", ["B", "D"]),  # text in any text column, ignoring case
])
def test_filters(api, deals, query, expected):
    table_id, _ids = deals
    assert codes(api, table_id, query) == expected


def test_filters_on_a_row_s_own_fields(api, deals):
    table_id, ids = deals
    assert codes(api, table_id, f"filter=id:lte:{ids['B']}") == ["A", "B"]
    assert codes(api, table_id, f"filter=id:in:{ids['C']},{ids['E']}") == ["C", "E"]
    assert codes(api, table_id, "filter=created_at:gt:2000-01-01") == list("ABCDE")
    assert codes(api, table_id, "filter=updated_at:lt:2000-01-01T00:00:00Z") == []


def test_filters_as_json(api, deals):
    table_id, _ids = deals
    filters = [{"column": "stage", "op": "in", "value": ["Won", "Lost"]},
               {"column": "value", "op": "gte", "value": 0}]
    assert codes(api, table_id, f"filters={json.dumps(filters)}") == ["A"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("value", ["C", "B", "E", "A", "D"]),  # ties by id; empty last
    ("-value", ["A", "B", "E", "C", "D"]),  # empty last in both directions
    ("name", ["A", "B", "D", "E", "C"]),  # text ignores case
    ("stage,-close_date", ["D", "C", "B", "A", "E"]),
    ("-id", ["E", "D", "C", "B", "A"]),
    ("won,name", ["B", "A", "E", "D", "C"]),
])
def test_sorting(api, deals, sort, expected):
    table_id, _ids = deals
    assert codes(api, table_id, f"sort={sort}") == expected


@pytest.mark.parametrize("sort", ["value", "-value", "name", "stage,-close_date", "-id",
                                  "won,-created_at"])
def test_cursor_pages_walk_every_row_once_in_order(api, deals, sort):
    table_id, _ids = deals
    expected = codes(api, table_id, f"sort={sort}")
    seen, cursor = [], None
    for _ in range(10):
        query = f"sort={sort}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/api/tables/{table_id}/rows?{query}").json
        assert page["total"] == 5
        seen += [row["code"] for row in page["rows"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_offset_pages_with_a_total(api, deals):
    table_id, _ids = deals
    page = api.get(f"/api/tables/{table_id}/rows?sort=code&limit=2&offset=2").json
    assert [r["code"] for r in page["rows"]] == ["C", "D"]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    filtered = api.get(f"/api/tables/{table_id}/rows?filter=stage:eq:Proposal&limit=1").json
    assert filtered["total"] == 2 and len(filtered["rows"]) == 1


@pytest.mark.parametrize(("query", "status", "reason"), [
    ("filter=nope:eq:1", 422, "has no column 'nope'"),
    ("filter=value:like:1", 422, "is not a filter operator"),
    ("filter=value:contains:1", 422, "contains does not apply to 'value' (money)"),
    ("filter=value:gt:lots", 422, "'lots' is not an amount"),
    ("filter=stage", 400, "column:operator:value"),
    ("filters=[1]", 400, "is a list of"),
    ("filters={", 400, "not valid JSON"),
    ("sort=extra", 422, "cannot be sorted on"),
    ("cursor=bm9wZQ", 400, "not one this server gave out"),
    ("limit=0", 400, "between 1 and 1000"),
    ("match=some", 400, "all or any"),
])
def test_bad_queries_are_refused_clearly(api, deals, query, status, reason):
    table_id, _ids = deals
    response = api.get(f"/api/tables/{table_id}/rows?{query}")
    assert response.status_code == status, response.json
    assert reason in response.json["detail"]


def test_a_cursor_from_another_sort_is_refused(api, deals):
    table_id, _ids = deals
    cursor = api.get(f"/api/tables/{table_id}/rows?sort=name&limit=1").json["next_cursor"]
    response = api.get(f"/api/tables/{table_id}/rows?sort=value&cursor={cursor}")
    assert response.status_code == 400 and "another sort" in response.json["detail"]
    both = api.get(f"/api/tables/{table_id}/rows?sort=name&cursor={cursor}&offset=1")
    assert both.status_code == 400


def test_a_row_is_changed_and_reports_what_changed(api, deals):
    table_id, ids = deals
    url = f"/api/tables/{table_id}/rows/{ids['B']}"
    response = api.patch(url, json={"values": {"stage": "Won", "value": "1,500", "name": "beta"}})
    assert response.status_code == 200, response.json
    assert response.json["changed"] == ["stage", "value"]
    assert (response.json["stage"], response.json["value"]) == ("Won", 1500)
    again = api.patch(url, json={"values": {"stage": "Won"}})
    assert again.json["changed"] == [] and again.json["updated_at"] == response.json["updated_at"]
    cleared = api.patch(url, json={"values": {"stage": None, "id": 999, "created_at": "x"}})
    assert cleared.json["stage"] is None and cleared.json["id"] == ids["B"]


def test_bad_values_are_refused_with_every_problem(api, deals):
    table_id, ids = deals
    response = api.patch(f"/api/tables/{table_id}/rows/{ids['A']}",
                         json={"values": {"value": "lots", "won": "maybe", "nope": 1}})
    assert response.status_code == 422
    assert {e["column"] for e in response.json["errors"]} == {"value", "won", "nope"}
    assert api.get(f"/api/tables/{table_id}/rows/{ids['A']}").json["value"] == 5000
    key = api.patch(f"/api/tables/{table_id}/rows/{ids['A']}", json={"values": {"code": "B"}})
    assert key.status_code == 409 and "'B' is already used by row" in key.json["detail"]


def test_rows_are_deleted_one_or_several_at_once(api, deals):
    table_id, ids = deals
    assert api.delete(f"/api/tables/{table_id}/rows/{ids['A']}").status_code == 204
    assert api.get(f"/api/tables/{table_id}/rows/{ids['A']}").status_code == 404
    missing = api.post(f"/api/tables/{table_id}/rows/delete",
                       json={"ids": [ids["B"], ids["A"]]})
    assert missing.status_code == 404  # one was gone already: none is deleted
    assert codes(api, table_id) == ["B", "C", "D", "E"]
    deleted = api.post(f"/api/tables/{table_id}/rows/delete", json={"ids": [ids["B"], ids["C"]]})
    assert deleted.json == {"deleted": 2}
    assert codes(api, table_id) == ["D", "E"]


def test_rows_of_another_table_are_not_reachable(api, deals):
    table_id, ids = deals
    other = make_table(api, "Other", [{"name": "x", "type": "text"}], key_column=None)
    assert api.get(f"/api/tables/{other['id']}/rows/{ids['A']}").status_code == 404
    assert api.get(f"/api/tables/{table_id}/rows/99999999").status_code == 404
    assert api.get("/api/tables/99999999/rows").status_code == 404


def test_options_for_node_forms(api, deals):
    assert api.get("/api/options/tables").json == {
        "options": [{"value": "Deals", "label": "Deals"}]}
    columns = api.get("/api/options/table_columns?table=Deals").json["options"]
    assert columns[0] == {"value": "name", "label": "name (text)"}
    assert [o["value"] for o in columns] == [c["name"] for c in (
        api.get(f"/api/tables/{deals[0]}").json["columns"])]
    fields = api.get(f"/api/options/table_fields?table={deals[0]}").json["options"]
    assert [o["value"] for o in fields][-3:] == ["id", "created_at", "updated_at"]
    assert api.get("/api/options/table_columns").json == {"options": []}
    assert api.get("/api/options/table_columns?table=Nope").status_code == 404
