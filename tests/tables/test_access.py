"""Who may do what with data tables: viewers read (rows, exports, options), editors change."""

from __future__ import annotations

import pytest

from tests.tables.helpers import add_row, make_table


@pytest.fixture
def table(api):
    table = make_table(api)
    row = add_row(api, table["id"], name="Acme", code="A")
    other = add_row(api, table["id"], name="Beta", code="B")
    return table["id"], row["id"], other["id"]


def reads(table_id, row_id, _other):
    return [("GET", "/api/tables", None), ("GET", f"/api/tables/{table_id}", None),
            ("GET", f"/api/tables/{table_id}/rows?sort=-value", None),
            ("GET", f"/api/tables/{table_id}/rows/{row_id}", None),
            ("GET", f"/api/tables/{table_id}/export", None),
            ("GET", "/api/options/tables", None),
            ("GET", "/api/options/table_columns?table=Deals", None),
            ("GET", "/api/options/table_fields?table=Deals", None)]


def changes(table_id, row_id, other):
    return [("POST", "/api/tables", {"name": "New"}),
            ("POST", "/api/tables/presets/opportunities", None),
            ("PATCH", f"/api/tables/{table_id}", {"description": "x"}),
            ("POST", f"/api/tables/{table_id}/rows", {"values": {"name": "B"}}),
            ("PATCH", f"/api/tables/{table_id}/rows/{row_id}", {"values": {"name": "C"}}),
            ("POST", f"/api/tables/{table_id}/import", None),
            ("POST", f"/api/tables/{table_id}/rows/delete", {"ids": [other]}),
            ("DELETE", f"/api/tables/{table_id}/rows/{row_id}", None),
            ("DELETE", f"/api/tables/{table_id}", None)]


def test_a_viewer_reads_everything_and_changes_nothing(client_as, table):
    viewer = client_as("viewer")
    for method, url, _body in reads(*table):
        assert viewer.open(url, method=method).status_code == 200, url
    for method, url, body in changes(*table):
        response = viewer.open(url, method=method, json=body)
        assert response.status_code == 403, (method, url)
        assert "edit" in response.json["detail"]
    assert viewer.get(f"/api/tables/{table[0]}/rows/{table[1]}").json["name"] == "Acme"


def test_an_editor_changes_tables_and_rows(client_as, table):
    editor = client_as("editor")
    for method, url, body in changes(*table):
        if url.endswith("/import"):
            response = editor.post(url, data=b"name\nZed\n", content_type="text/csv")
        else:
            response = editor.open(url, method=method, json=body)
        assert response.status_code in (200, 201, 204), (method, url, response.json)


def test_nobody_signed_out_gets_in(anonymous, table):
    for method, url, body in reads(*table) + changes(*table):
        assert anonymous.open(url, method=method, json=body).status_code == 401, url
