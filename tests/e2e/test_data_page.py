"""The Data page: the Opportunities preset, adding a row, editing a cell in place, sorting,
filtering, deleting one row and selected rows, a CSV import refused for one bad line and then
accepted, an export that matches the rows; paging through thousands of rows; changing a
table's columns (a value that cannot take its new type is cleared); viewers read only."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer


def open_opportunities(page: Any) -> int:
    """Open the preset table from the Data page, creating it with its button when missing."""
    page.goto("/data")
    page.get_by_test_id("data-page").wait_for()
    page.get_by_test_id("tables-list").or_(page.get_by_text("No tables yet.")).first.wait_for()
    create = page.get_by_test_id("create-preset")
    if create.count():
        create.click()
    else:
        page.get_by_role("link", name="Opportunities", exact=True).click()
    page.get_by_test_id("table-page").wait_for()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opportunities")
    return int(page.get_by_test_id("table-page").get_attribute("data-table-id"))


def row(page: Any, row_id: int) -> Any:
    return page.locator(f"[data-testid='data-row'][data-row-id='{row_id}']")


def cell(page: Any, row_id: int, column: str) -> Any:
    return row(page, row_id).locator(f"td[data-column='{column}']")


def shown_range(first: str, last: str, total: str) -> str:
    """The pager's text: "Rows 1 to 100 of 2,500", written with an en dash."""
    return f"Rows {first}\u2013{last} of {total}"


def shown_ids(page: Any) -> list[int]:
    return [int(i) for i in page.eval_on_selector_all(
        "[data-testid='data-row']", "rows => rows.map(r => r.dataset.rowId)")]


def api_rows(live_server: LiveServer, table_id: int, query: str) -> list[dict[str, Any]]:
    return live_server.api("GET", f"/api/tables/{table_id}/rows?{query}")["rows"]  # type: ignore[no-any-return]


def import_file(page: Any, path: Path) -> None:
    page.get_by_role("button", name="Import CSV", exact=True).click()
    dialog = page.get_by_test_id("import-dialog")
    dialog.get_by_test_id("import-csv-file").set_input_files(str(path))
    dialog.get_by_role("button", name="Import", exact=True).click()


def test_opportunities_rows_from_add_to_export(page: Any, live_server: LiveServer,
                                               tmp_path: Path, shot: Any) -> None:
    tag = f"e2e-{uuid.uuid4().hex[:8]}"
    table_id = open_opportunities(page)
    mine = quote(f"ghl_id:starts_with:{tag}")

    # Add a row with the typed form.
    page.get_by_role("button", name="Add row", exact=True).click()
    form = page.get_by_test_id("add-row-dialog")
    form.get_by_label("name", exact=True).fill("Acme renewal")
    form.get_by_label("stage", exact=True).fill("Proposal")
    form.get_by_label("value", exact=True).fill("$1,200.50")
    form.get_by_label("status", exact=True).select_option("open")
    form.get_by_label("ghl_id", exact=True).fill(f"{tag}-a")
    form.get_by_role("button", name="Add row", exact=True).click()
    expect(form).to_have_count(0)
    (added,) = api_rows(live_server, table_id, f"filter={mine}")
    assert (added["name"], added["value"], added["status"]) == ("Acme renewal", 1200.5, "open")
    expect(cell(page, added["id"], "name")).to_have_text("Acme renewal")

    # Edit a cell in place: a refused value says why and keeps the editor; Enter saves.
    cell(page, added["id"], "value").dblclick()
    editor = page.get_by_label(f"value of row {added['id']}", exact=True)
    editor.fill("lots")
    editor.press("Enter")
    expect(page.get_by_test_id("cell-editor").get_by_role("alert")).to_contain_text("value")
    editor.press("Escape")
    cell(page, added["id"], "stage").dblclick()
    editor = page.get_by_label(f"stage of row {added['id']}", exact=True)
    editor.fill("Negotiation")
    editor.press("Enter")
    expect(cell(page, added["id"], "stage")).to_have_text("Negotiation")
    saved = live_server.api("GET", f"/api/tables/{table_id}/rows/{added['id']}")
    assert (saved["stage"], saved["value"]) == ("Negotiation", 1200.5)

    # A CSV with one bad line imports nothing and says which line and column.
    header = "name,stage,value,status,ghl_id\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + f"Globex,Proposal,800,open,{tag}-b\n"
                   f"Initech,Closing,a lot,open,{tag}-c\n")
    import_file(page, bad)
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("nothing was imported")
    problem = report.get_by_test_id("import-problem")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").nth(0)).to_have_text("3")
    expect(problem.locator("td").nth(1)).to_have_text("value")
    shot(page, "data-import-refused")
    assert len(api_rows(live_server, table_id, f"filter={mine}")) == 1
    page.get_by_test_id("import-dialog").get_by_role("button", name="Cancel", exact=True).click()

    good = tmp_path / "good.csv"
    good.write_text(header + f"Globex,Proposal,800,open,{tag}-b\n"
                    f"Initech,Closing,5000,won,{tag}-c\n"
                    f"Umbrella,Closing,300,lost,{tag}-d\n")
    import_file(page, good)
    page.get_by_text("Imported 3 rows: 3 added").wait_for()

    # Filter to this test's rows.
    page.get_by_test_id("toggle-filters").click()
    page.get_by_role("button", name="+ Add filter", exact=True).click()
    bar = page.get_by_test_id("filter-bar")
    bar.get_by_label("Filter column").select_option("ghl_id")
    bar.get_by_label("Filter operator").select_option("starts_with")
    bar.get_by_label("Filter value").fill(tag)
    bar.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("1", "4", "4"))
    expect(page.get_by_test_id("data-row")).to_have_count(4)
    assert "filters=" in page.url

    # Sort by value: ascending, then descending (the server's order, shown as it comes).
    header_cell = page.locator("th[data-column='value']")
    header_cell.get_by_role("button").click()
    expect(header_cell).to_have_attribute("aria-sort", "ascending")
    ascending = [r["id"] for r in api_rows(live_server, table_id, f"filter={mine}&sort=value")]
    expect(page.get_by_test_id("data-row").first).to_have_attribute(
        "data-row-id", str(ascending[0]))
    assert shown_ids(page) == ascending
    values = [r["value"] for r in api_rows(live_server, table_id, f"filter={mine}&sort=value")]
    assert values == sorted(values) == [300, 800, 1200.5, 5000]
    header_cell.get_by_role("button").click()
    expect(header_cell).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_test_id("data-row").first).to_have_attribute(
        "data-row-id", str(ascending[-1]))
    assert shown_ids(page) == ascending[::-1]

    # Export: the file holds exactly the rows shown, in the same order, with their values.
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    exported = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    listed = api_rows(live_server, table_id, f"filter={mine}&sort=-value")
    assert [int(r["id"]) for r in exported] == shown_ids(page)
    assert [(r["name"], r["stage"], float(r["value"]), r["ghl_id"]) for r in exported] == [
        (r["name"], r["stage"], r["value"], r["ghl_id"]) for r in listed]
    shot(page, "data-grid")

    # Delete one row with its button, then two selected ones.
    gone = ascending[0]
    page.get_by_role("button", name=f"Delete row {gone}", exact=True).click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Delete").click()
    expect(row(page, gone)).to_have_count(0)
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("1", "3", "3"))
    for row_id in ascending[1:3]:
        page.get_by_label(f"Select row {row_id}", exact=True).check()
    page.get_by_test_id("delete-selected").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_test_id("data-row")).to_have_count(1)
    assert [r["id"] for r in api_rows(live_server, table_id, f"filter={mine}")] == [
        ascending[3]]


def test_thousands_of_rows_page_by_page(page: Any, live_server: LiveServer,
                                        tmp_path: Path) -> None:
    name = f"Big {uuid.uuid4().hex[:6]}"
    table = live_server.api("POST", "/api/tables", {"name": name, "columns": [
        {"name": "n", "type": "number"}, {"name": "label", "type": "text"}]})
    big = tmp_path / "big.csv"
    big.write_text("n,label\n" + "".join(f"{n},row {n}\n" for n in range(1, 2501)))
    page.goto(f"/data/{table['id']}")
    expect(page.get_by_test_id("no-rows")).to_be_visible()
    import_file(page, big)
    page.get_by_text("Imported 2500 rows").wait_for()
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("1", "100", "2,500"))
    expect(page.get_by_test_id("data-row")).to_have_count(100)
    page.goto(f"/data/{table['id']}?page=999")  # past the end: the last page
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("2,401", "2,500", "2,500"))
    page.goto(f"/data/{table['id']}")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("101", "200", "2,500"))
    expect(page.locator("[data-testid='data-row'] td[data-column='n']").first).to_have_text("101")
    page.locator("th[data-column='n']").get_by_role("button").click()  # sorting starts at page 1
    page.locator("th[data-column='n']").get_by_role("button").click()
    expect(page.locator("[data-testid='data-row'] td[data-column='n']").first).to_have_text("2,500")
    page.get_by_label("Search rows").fill("row 1234")
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("1", "1", "1"))
    page.reload()  # the view is in the URL
    expect(page.get_by_test_id("row-range")).to_have_text(shown_range("1", "1", "1"))
    expect(page.get_by_label("Search rows")).to_have_value("row 1234")


def test_a_viewer_reads_tables_but_cannot_change_them(browser: Any,
                                                      live_server: LiveServer) -> None:
    email, password = f"viewer-{uuid.uuid4().hex[:6]}@flowlane.test", "Viewer-passphrase-5512"
    live_server.api("POST", "/api/users", {"email": email, "role": "viewer",
                                           "password": password})
    table = live_server.api("POST", "/api/tables", {"name": f"Read {uuid.uuid4().hex[:6]}",
                                                     "columns": [{"name": "x", "type": "text"}]})
    row_id = live_server.api("POST", f"/api/tables/{table['id']}/rows",
                             {"values": {"x": "hello"}})["id"]
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    try:
        assert context.request.post("/api/auth/login",
                                    data={"email": email, "password": password}).ok
        page = context.new_page()
        page.goto("/data")
        page.get_by_role("link", name=table["name"], exact=True).wait_for()
        expect(page.get_by_role("button", name="New table")).to_have_count(0)
        page.get_by_role("link", name=table["name"], exact=True).click()
        expect(cell(page, row_id, "x")).to_have_text("hello")
        page.get_by_text("read-only", exact=True).wait_for()
        for label in ("Add row", "Import CSV", "Delete table", "Columns"):
            expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
        cell(page, row_id, "x").dblclick()
        expect(page.get_by_test_id("cell-editor")).to_have_count(0)
        with page.expect_download() as info:
            page.get_by_test_id("export-csv").click()
        assert "hello" in Path(info.value.path()).read_text("utf-8-sig")
    finally:
        context.close()


def test_columns_dialog_renames_retypes_adds_and_clears_what_cannot_convert(
        page: Any, live_server: LiveServer, shot: Any) -> None:
    name = f"Leads {uuid.uuid4().hex[:6]}"
    table = live_server.api("POST", "/api/tables", {"name": name, "key_column": "code", "columns": [
        {"name": "code", "type": "text"}, {"name": "amount", "type": "number"},
        {"name": "due", "type": "text"}]})
    rows = f"/api/tables/{table['id']}/rows"
    soon = live_server.api("POST", rows, {"values": {"code": "A1", "amount": 1500, "due": "soon"}})
    dated = live_server.api("POST", rows, {"values": {"code": "B2", "amount": 7,
                                                      "due": "2026-03-04"}})
    page.goto(f"/data/{table['id']}")
    expect(cell(page, soon["id"], "amount")).to_have_text("1,500")

    page.get_by_test_id("edit-columns").click()
    dialog = page.get_by_test_id("columns-dialog")
    dialog.get_by_label("Table name", exact=True).fill(f"{name} v2")
    dialog.get_by_label("Column 1 name", exact=True).fill("ref")
    dialog.get_by_label("Column 2 type", exact=True).select_option("text")
    dialog.get_by_label("Column 3 type", exact=True).select_option("date")
    dialog.get_by_role("button", name="+ Add column", exact=True).click()
    dialog.get_by_label("Column 4 name", exact=True).fill("owner")
    dialog.get_by_role("button", name="Move column 4 up", exact=True).click()
    expect(dialog.get_by_label("Key column", exact=True)).to_have_value("0")
    dialog.get_by_role("button", name="Save", exact=True).click()

    # "soon" is not a date: nothing changes, and the dialog lists the value.
    problems = dialog.get_by_test_id("conversion-problem")
    expect(problems).to_have_count(1)
    expect(problems.locator("td").nth(0)).to_have_text(str(soon["id"]))
    expect(problems.locator("td").nth(1)).to_have_text("due")
    expect(dialog.get_by_test_id("conversion-problems")).to_contain_text("cannot be converted")
    shot(page, "data-columns-refused")
    assert [c["name"] for c in live_server.api("GET", f"/api/tables/{table['id']}")["columns"]] == [
        "code", "amount", "due"]
    dialog.get_by_role("button", name="Clear those values and save", exact=True).click()
    expect(dialog).to_have_count(0)

    headers = page.locator("[data-testid='data-grid'] thead th[data-column]")
    expect(headers).to_have_count(5)
    assert headers.evaluate_all("ths => ths.map(th => th.dataset.column)") == [
        "id", "ref", "amount", "owner", "due"]
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{name} v2")
    expect(page.locator("th[data-column='amount'] .col-type")).to_have_text("text")
    expect(cell(page, soon["id"], "ref")).to_have_text("A1")
    expect(cell(page, soon["id"], "amount")).to_have_text("1500")
    expect(cell(page, soon["id"], "due")).to_have_text("")

    changed = live_server.api("GET", f"/api/tables/{table['id']}")
    assert changed["name"] == f"{name} v2"
    assert changed["key_column"] == "ref"
    assert [(c["name"], c["type"]) for c in changed["columns"]] == [
        ("ref", "text"), ("amount", "text"), ("owner", "text"), ("due", "date")]
    after = {r["id"]: r for r in api_rows(live_server, table["id"], "sort=id")}
    assert (after[soon["id"]]["amount"], after[soon["id"]].get("due")) == ("1500", None)
    assert (after[dated["id"]]["ref"], after[dated["id"]]["due"]) == ("B2", "2026-03-04")
