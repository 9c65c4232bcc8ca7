"""The data-table nodes in real runs on a real worker process."""

from __future__ import annotations

from itertools import pairwise

import pytest

from tests.helpers import doc, node, wait_for_run
from tests.tables.helpers import add_row, create_workflow, make_table, run_now


def run_nodes(api, svc, *nodes, payload=None, edges=None):
    """Run manual trigger -> nodes (in a chain) and return the run's detail."""
    chain = ["start", *[n["id"] for n in nodes]]
    document = doc(node("start", "core.trigger.manual"), *nodes,
                   edges=edges or list(pairwise(chain)))
    run_id = run_now(api, create_workflow(api, document), payload)
    wait_for_run(svc, run_id)
    return api.get(f"/api/runs/{run_id}").json


def output(detail, node_id):
    step = next(s for s in detail["steps"] if s["node_id"] == node_id)
    return (step["output"] or {}).get("main")


def rows(api, table_id, query="sort=id"):
    return api.get(f"/api/tables/{table_id}/rows?limit=1000&{query}").json["rows"]


@pytest.fixture
def table(api):
    return make_table(api)


def test_insert_maps_columns_from_expressions(api, svc, worker, table):
    insert = node("insert", "core.table.insert", params={"table": "Deals", "values": [
        {"column": "name", "value": "{{ item.company }}"},
        {"column": "value", "value": "{{ item.amount }}"},
        {"column": "code", "value": "{{ item.ref | upper }}"}]})
    detail = run_nodes(api, svc, insert, payload=[
        {"company": "Acme", "amount": "1,200", "ref": "a1"},
        {"company": "Beta", "amount": 99.999, "ref": "b2"}])
    assert detail["status"] == "succeeded", detail["error"]
    stored = rows(api, table["id"])
    assert [(r["name"], r["value"], r["code"]) for r in stored] == [
        ("Acme", 1200, "A1"), ("Beta", 100.0, "B2")]
    assert output(detail, "insert") == stored


def test_insert_maps_item_fields_automatically(api, svc, worker, table):
    insert = node("insert", "core.table.insert", params={"table": "Deals", "mapping": "auto"})
    detail = run_nodes(api, svc, insert, payload=[
        {"name": "Acme", "stage": "Won", "unrelated": 1, "id": 12345}])
    assert detail["status"] == "succeeded", detail["error"]
    [row] = rows(api, table["id"])
    assert (row["name"], row["stage"]) == ("Acme", "Won") and row["id"] != 12345


def test_a_refused_value_fails_the_node_and_saves_no_item(api, svc, worker, table):
    insert = node("insert", "core.table.insert", params={"table": "Deals", "mapping": "auto"})
    detail = run_nodes(api, svc, insert,
                       payload=[{"name": "Good", "value": 5}, {"name": "Bad", "value": "lots"}])
    assert detail["status"] == "failed"
    assert detail["error"]["message"] == "value: 'lots' is not an amount (write it like " \
                                         "1200.50 or $1,200.50)."
    assert rows(api, table["id"]) == []


def test_upsert_by_the_key_column_inserts_then_updates(api, svc, worker, table):
    upsert = node("upsert", "core.table.upsert", params={"table": "Deals", "mapping": "auto"})
    first = run_nodes(api, svc, upsert, payload=[{"code": "A", "name": "Acme", "value": 1},
                                                 {"code": "B", "name": "Beta", "value": 2}])
    assert first["status"] == "succeeded", first["error"]
    second = run_nodes(api, svc, upsert, payload=[{"code": "A", "value": 10},
                                                  {"code": "C", "name": "Gamma"}])
    assert second["status"] == "succeeded", second["error"]
    assert [(r["code"], r["name"], r["value"]) for r in rows(api, table["id"])] == [
        ("A", "Acme", 10), ("B", "Beta", 2), ("C", "Gamma", None)]
    assert [r["code"] for r in output(second, "upsert")] == ["A", "C"]


def test_upsert_on_another_column_and_without_a_key(api, svc, worker, table):
    add_row(api, table["id"], name="Acme", stage="Lead")
    by_name = node("upsert", "core.table.upsert",
                   params={"table": "Deals", "key_column": "name", "mapping": "auto"})
    detail = run_nodes(api, svc, by_name, payload=[{"name": "Acme", "stage": "Won"}])
    assert detail["status"] == "succeeded", detail["error"]
    assert [(r["name"], r["stage"]) for r in rows(api, table["id"])] == [("Acme", "Won")]
    missing = run_nodes(api, svc, node("upsert", "core.table.upsert", params={
        "table": "Deals", "mapping": "auto"}), payload=[{"name": "No code"}])
    assert missing["status"] == "failed"
    assert "needs a value for 'code'" in missing["error"]["message"]


def test_update_by_id_and_by_key(api, svc, worker, table):
    acme = add_row(api, table["id"], name="Acme", code="A", value=1)
    add_row(api, table["id"], name="Beta", code="B", value=2)
    by_id = node("by_id", "core.table.update", params={
        "table": "Deals", "values": [{"column": "stage", "value": "Won"}]})
    by_key = node("by_key", "core.table.update", params={
        "table": "Deals", "match": "key", "key": "B",
        "values": [{"column": "value", "value": "{{ item.value * 10 }}"}]})
    detail = run_nodes(api, svc, by_id, by_key, payload=[{"id": acme["id"]}])
    assert detail["status"] == "succeeded", detail["error"]
    # "by_key" gets the row "by_id" gave (Acme, value 1): B's value becomes 1 * 10.
    assert [(r["code"], r["stage"], r["value"]) for r in rows(api, table["id"])] == [
        ("A", "Won", 1), ("B", None, 10)]


def test_a_missing_row_is_skipped_or_fails_as_chosen(api, svc, worker, table):
    skip = node("skip", "core.table.update", params={
        "table": "Deals", "match": "key", "key": "nope",
        "values": [{"column": "stage", "value": "Won"}]})
    detail = run_nodes(api, svc, skip, payload=[{}])
    assert detail["status"] == "succeeded" and output(detail, "skip") == []
    fail = node("fail", "core.table.get", params={
        "table": "Deals", "row_id": 99999999, "if_missing": "error"})
    detail = run_nodes(api, svc, fail, payload=[{}])
    assert detail["status"] == "failed"
    assert detail["error"]["message"] == "There is no row with row id 99999999 in 'Deals'."


def test_get_and_search(api, svc, worker, table):
    for name, stage, value in [("Acme", "Won", 500), ("Beta", "Won", 50), ("Gamma", "Lost", 5)]:
        add_row(api, table["id"], name=name, stage=stage, value=value, code=name[0])
    get = node("get", "core.table.get", params={"table": "Deals", "match": "key",
                                                "key": "{{ item.code }}"})
    search = node("search", "core.table.search", params={
        "table": "Deals", "once": True,
        "filters": [{"column": "stage", "op": "eq", "value": "{{ item.stage }}"},
                    {"column": "value", "op": "gte", "value": 10}],
        "sort": [{"column": "value", "order": "asc"}], "limit": 5})
    detail = run_nodes(api, svc, get, search, payload=[{"code": "G"}],
                       edges=[("start", "get"), ("get", "search")])
    assert detail["status"] == "succeeded", detail["error"]
    assert [r["name"] for r in output(detail, "get")] == ["Gamma"]
    # The search ran with the row that "get" gave: stage Lost, value >= 10 -> nothing.
    assert output(detail, "search") == []
    search_won = node("search", "core.table.search", params={
        "table": "Deals", "filters": [{"column": "stage", "op": "eq", "value": "Won"}],
        "sort": [{"column": "value", "order": "desc"}], "limit": 1})
    detail = run_nodes(api, svc, search_won, payload=[{}])
    assert [r["name"] for r in output(detail, "search")] == ["Acme"]
    bad = run_nodes(api, svc, node("search", "core.table.search", params={
        "table": "Deals", "filters": [{"column": "nope", "op": "eq", "value": 1}]}), payload=[{}])
    assert bad["status"] == "failed" and "has no column 'nope'" in bad["error"]["message"]


def test_delete_rows(api, svc, worker, table):
    acme = add_row(api, table["id"], name="Acme", code="A")
    add_row(api, table["id"], name="Beta", code="B")
    delete = node("delete", "core.table.delete", params={"table": "Deals"})
    detail = run_nodes(api, svc, delete, payload=[{"id": acme["id"]}])
    assert detail["status"] == "succeeded", detail["error"]
    assert [r["name"] for r in output(detail, "delete")] == ["Acme"]
    assert [r["name"] for r in rows(api, table["id"])] == ["Beta"]


def test_an_unknown_table_fails_clearly(api, svc, worker):
    detail = run_nodes(api, svc, node("insert", "core.table.insert", params={
        "table": "Nope", "mapping": "auto"}), payload=[{"a": 1}])
    assert detail["status"] == "failed"
    assert detail["error"]["message"] == "There is no data table 'Nope'."
