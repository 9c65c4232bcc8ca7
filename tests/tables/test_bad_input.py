"""Generated input against an existing table: queries, values, table changes and CSV files
never make a server error, and a refused change leaves the table as it was."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tables.helpers import add_row, make_table

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
names = st.sampled_from(["name", "stage", "value", "close_date", "won", "extra", "code", "id",
                         "created_at", "nope", "", "Name"])
ops = st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "not_contains",
                       "starts_with", "ends_with", "is_empty", "is_not_empty", "bogus"])
scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats()
           | st.text(max_size=12) | st.sampled_from(["2024-01-01", "1,200", "$5", "yes", "1e400"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


def _table(api):
    table = make_table(api)
    add_row(api, table["id"], name="Acme", value=10, close_date="2024-01-01", won=True, code="A")
    add_row(api, table["id"], name="Beta", code="B")
    return table["id"]


def _snapshot(api, table_id):
    return (api.get(f"/api/tables/{table_id}").json,
            api.get(f"/api/tables/{table_id}/rows?limit=1000").json["rows"])


def test_generated_queries(api):
    table_id = _table(api)

    @given(filters=st.lists(st.tuples(names, ops, st.text(max_size=10)), max_size=3),
           sort=st.lists(st.tuples(st.booleans(), names), max_size=3),
           extra=st.dictionaries(st.sampled_from(["limit", "offset", "cursor", "q", "match",
                                                  "filters"]), st.text(max_size=15)))
    @SETTINGS
    def check(filters, sort, extra):
        query = {"filter": [f"{c}:{o}:{v}" for c, o, v in filters],
                 "sort": ",".join(("-" if d else "") + c for d, c in sort), **extra}
        response = api.get(f"/api/tables/{table_id}/rows", query_string=query)
        assert response.status_code in (200, 400, 422), response.get_data(as_text=True)
        export = api.get(f"/api/tables/{table_id}/export", query_string=query)
        assert export.status_code in (200, 400, 422)

    check()


def test_generated_filters_as_json(api):
    table_id = _table(api)

    @given(filters=st.lists(st.fixed_dictionaries({"column": names, "op": ops,
                                                   "value": values}), max_size=3))
    @SETTINGS
    def check(filters):
        response = api.get(f"/api/tables/{table_id}/rows",
                           query_string={"filters": json.dumps(filters)})
        assert response.status_code in (200, 400, 422), response.get_data(as_text=True)

    check()


def test_generated_row_values(api):
    table_id = _table(api)
    before = _snapshot(api, table_id)

    @given(row=st.dictionaries(names, values, max_size=4))
    @SETTINGS
    def check(row):
        response = api.patch(f"/api/tables/{table_id}/rows/{before[1][0]['id']}",
                             json={"values": row})
        assert response.status_code in (200, 400, 409, 422), response.get_data(as_text=True)
        if response.status_code != 200:
            assert response.json["detail"]

    check()


def test_generated_table_changes(api):
    table_id = _table(api)
    column = st.fixed_dictionaries(
        {"name": names, "type": st.sampled_from(["text", "number", "money", "date", "boolean",
                                                 "json", "reference", "x"])},
        optional={"options": st.dictionaries(st.sampled_from(
            ["currency", "time", "choices", "table_id", "description"]), values, max_size=2)})
    change = st.fixed_dictionaries({"name": names}, optional={
        "new_name": names, "type": st.sampled_from(["text", "number", "date", "json",
                                                    "boolean", "money"]),
        "options": st.dictionaries(st.sampled_from(["time", "choices"]), values, max_size=1)})
    body = st.fixed_dictionaries({}, optional={
        "key_column": st.none() | names, "invalid": st.sampled_from(["fail", "clear"]),
        "columns": st.fixed_dictionaries({}, optional={
            "add": st.lists(column, max_size=2), "change": st.lists(change, max_size=2),
            "remove": st.lists(names, max_size=2), "order": st.lists(names, max_size=3)})})

    @given(body=body)
    @SETTINGS
    def check(body):
        before = _snapshot(api, table_id)
        response = api.patch(f"/api/tables/{table_id}", json=body)
        assert response.status_code in (200, 400, 409, 422), response.get_data(as_text=True)
        if response.status_code != 200:
            assert _snapshot(api, table_id) == before  # refused: nothing changed

    check()


def test_generated_csv_files(api):
    table_id = _table(api)
    cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=8) | st.sampled_from(
        ["2024-01-01", "1,200", "yes", "{}", "A", "B", '"', "\n"])
    lines = st.lists(st.lists(cell, min_size=1, max_size=4), max_size=4)

    @given(header=st.lists(names, min_size=1, max_size=4), lines=lines,
           mode=st.sampled_from(["insert", "upsert"]))
    @SETTINGS
    def check(header, lines, mode):
        before = _snapshot(api, table_id)
        text = "\n".join(",".join(row) for row in [header, *lines])
        response = api.post(f"/api/tables/{table_id}/import?mode={mode}",
                            data=text.encode(), content_type="text/csv")
        assert response.status_code in (200, 400, 409, 422), response.get_data(as_text=True)
        if response.status_code != 200:
            assert _snapshot(api, table_id)[1] == before[1]

    check()
