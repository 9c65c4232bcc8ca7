"""CSV import and export: a round trip keeps every value; a bad file saves nothing and says
what is wrong, line by line."""

from __future__ import annotations

import io

import pytest

from tests.tables.helpers import add_row, make_table


def export(api, table_id, query=""):
    response = api.get(f"/api/tables/{table_id}/export?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return response.get_data(as_text=True)


def import_csv(api, table_id, text, query="", multipart=True):
    url = f"/api/tables/{table_id}/import?{query}"
    if multipart:
        return api.post(url, data={"file": (io.BytesIO(text.encode()), "rows.csv")},
                        content_type="multipart/form-data")
    return api.post(url, data=text.encode(), content_type="text/csv")


def rows(api, table_id):
    return api.get(f"/api/tables/{table_id}/rows?limit=1000").json["rows"]


def values(row):
    return {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}


@pytest.fixture
def table(api):
    return make_table(api, columns=[
        {"name": "name", "type": "text"},
        {"name": "value", "type": "money"},
        {"name": "close_date", "type": "date"},
        {"name": "seen", "type": "date", "options": {"time": True}},
        {"name": "won", "type": "boolean"},
        {"name": "extra", "type": "json"},
        {"name": "score", "type": "number"},
        {"name": "code", "type": "text"},
    ])


def test_export_then_import_gives_the_same_rows(api, table):
    originals = [
        {"name": "Acme, Inc.", "value": 1200.5, "close_date": "2024-03-01",
         "seen": "2024-03-01T10:00:00.000Z", "won": True, "extra": {"a": [1, "x"]},
         "score": -3, "code": "A"},
        {"name": '=HYPERLINK("x")', "value": None, "close_date": None, "seen": None,
         "won": False, "extra": None, "score": 0.25, "code": "B"},
        {"name": "Line\nbreak «ünïcode»", "value": 0, "close_date": "2023-12-31",
         "seen": None, "won": None, "extra": "text", "score": None, "code": "C"},
    ]
    for original in originals:
        add_row(api, table["id"], **original)
    text = export(api, table["id"], "sort=code")
    assert text.splitlines()[0] == ("id,name,value,close_date,seen,won,extra,score,code,"
                                    "created_at,updated_at")
    assert "'=HYPERLINK" in text  # a spreadsheet shows it, it does not run it
    copy = make_table(api, "Copy", columns=table["columns"], key_column="code")
    response = import_csv(api, copy["id"], text)
    assert response.status_code == 200, response.json
    assert response.json == {"rows": 3, "inserted": 3, "updated": 0, "unchanged": 0}
    assert [values(r) for r in rows(api, copy["id"])] == originals
    # Importing the same file again as an upsert changes nothing.
    again = import_csv(api, copy["id"], text, "mode=upsert", multipart=False)
    assert again.json == {"rows": 3, "inserted": 0, "updated": 0, "unchanged": 3}


def test_upsert_import_updates_by_key_and_inserts_the_rest(api, table):
    add_row(api, table["id"], name="Acme", value=10, code="A")
    text = "Code;Name;Value\nA;Acme;20\nZ;Zeta;5\n"
    response = import_csv(api, table["id"], text, "mode=upsert&delimiter=;")
    assert response.json == {"rows": 2, "inserted": 1, "updated": 1, "unchanged": 0}
    assert {(r["code"], r["value"]) for r in rows(api, table["id"])} == {("A", 20), ("Z", 5)}


def test_headers_match_columns_loosely(api, table):
    text = "\ufeffName,Close Date,close-date\nAcme,2024-01-01,2024-01-02\n"
    response = import_csv(api, table["id"], text)
    assert response.status_code == 422
    assert "'close_date' is in the header twice" in response.json["detail"]
    response = import_csv(api, table["id"], "\ufeffName , Close Date\nAcme,2024-01-01\n")
    assert response.status_code == 200
    assert rows(api, table["id"])[0]["close_date"] == "2024-01-01"


@pytest.mark.parametrize(("text", "query", "reason"), [
    ("name,colour\nAcme,red\n", "", "header cell 2 ('colour') is not a column of 'Deals'"),
    ("", "", "The file is empty"),
    ("name,value\nAcme\n", "", "line 2 has 1 cells; the header has 2"),
    ('name\n"unterminated\n', "", "is not valid CSV"),
    ("name,code\nA,1\n", "delimiter=ab", "The delimiter is one character"),
    ("name\nAcme\n", "mode=merge", "mode is insert or upsert"),
    ("name,code\nAcme,\n", "mode=upsert", "code is empty; an upsert matches on it"),
])
def test_bad_files_are_refused(api, table, text, query, reason):
    response = import_csv(api, table["id"], text, query)
    assert response.status_code == 422, response.json
    assert reason in response.json["detail"], response.json["detail"]
    assert rows(api, table["id"]) == []


def test_every_bad_cell_is_reported_and_nothing_is_imported(api, table):
    add_row(api, table["id"], name="Existing", code="X")
    text = ("name,value,close_date,won,extra,code\n"
            "Good,10,2024-01-01,yes,{},A\n"
            "Bad value,lots,2024-01-01,no,{},B\n"
            "Bad date,1,someday,maybe,{oops,C\n"
            "Dupe,1,,,,A\n"
            "Taken,1,,,,X\n")
    response = import_csv(api, table["id"], text)
    assert response.status_code == 422
    assert response.json["count"] == 6
    assert response.json["detail"].startswith("6 problem(s) in the file; nothing was imported.")
    found = [(e["line"], e["column"]) for e in response.json["errors"]]
    assert found == [(3, "value"), (4, "close_date"), (4, "won"), (4, "extra"), (5, "code"),
                     (6, "code")]
    messages = " | ".join(e["message"] for e in response.json["errors"])
    assert "line 3, value: 'lots' is not an amount" in messages
    assert "line 5: code 'A' is on line 2 too" in messages
    assert "line 6: code 'X' is already in the table" in messages
    assert [r["name"] for r in rows(api, table["id"])] == ["Existing"]


def test_not_utf8_and_no_file_are_refused(api, table):
    response = api.post(f"/api/tables/{table['id']}/import", data="name\nCafé\n".encode("latin-1"),
                        content_type="text/csv")
    assert response.status_code == 422 and "not UTF-8" in response.json["detail"]
    response = api.post(f"/api/tables/{table['id']}/import", json={"name": "x"})
    assert response.status_code == 400 and "multipart file" in response.json["detail"]


def test_export_follows_the_filters_and_sort(api, table):
    for name, value in [("A", 5), ("B", 50), ("C", 500)]:
        add_row(api, table["id"], name=name, value=value)
    text = export(api, table["id"], "filter=value:gte:50&sort=-value")
    assert [line.split(",")[1] for line in text.splitlines()[1:]] == ["C", "B"]
    response = api.get(f"/api/tables/{table['id']}/export")
    assert 'filename="Deals.csv"' in response.headers["Content-Disposition"]
