import { describe, expect, it } from "vitest";
import type { Column, Table } from "../src/api/tables";
import { blankColumn, fromColumn, tableChange } from "../src/data/columns";
import {
  DEFAULT_VIEW, exportQuery, formatCell, fromInput, operatorsFor, parseView, rowsQuery, toInput, toggleSort,
  valuesFromInputs, viewUrl,
} from "../src/data/view";

const text: Column = { name: "stage", type: "text" };
const money: Column = { name: "value", type: "money", options: { currency: "USD" } };
const json: Column = { name: "extra", type: "json" };
const when: Column = { name: "at", type: "date", options: { time: true } };

describe("the grid's view in the URL", () => {
  it("round-trips sort, filters, match, search and paging, and drops what is not valid", () => {
    const view = {
      sort: [{ column: "stage", desc: false }, { column: "value", desc: true }],
      filters: [{ column: "value", op: "gte", value: "$1,000" }, { column: "stage", op: "in", value: "Won, Lost" }],
      match: "any" as const, q: "acme", page: 3, size: 250,
    };
    const url = viewUrl(7, view);
    expect(url.startsWith("/data/7?")).toBe(true);
    expect(parseView(url.split("?")[1])).toEqual(view);
    expect(viewUrl(7, DEFAULT_VIEW)).toBe("/data/7");
    expect(parseView("?page=-2&size=33&filters=nope&match=some")).toEqual(DEFAULT_VIEW);
  });

  it("asks the API for the view's page, and exports the same rows without paging", () => {
    const view = { ...DEFAULT_VIEW, sort: [{ column: "value", desc: true }], page: 2, size: 50,
      filters: [{ column: "stage", op: "in", value: "Won, Lost" }, { column: "notes", op: "is_empty", value: "x" }] };
    const rows = new URLSearchParams(rowsQuery(view));
    expect(rows.get("sort")).toBe("-value");
    expect(rows.get("limit")).toBe("50");
    expect(rows.get("offset")).toBe("50");
    expect(JSON.parse(rows.get("filters")!)).toEqual([
      { column: "stage", op: "in", value: ["Won", "Lost"] }, { column: "notes", op: "is_empty", value: null }]);
    const exported = new URLSearchParams(exportQuery(view));
    expect(exported.has("limit") || exported.has("offset")).toBe(false);
    expect(exported.get("filters")).toBe(rows.get("filters"));
  });

  it("cycles a header through ascending, descending and unsorted; shift-click adds", () => {
    let sort = toggleSort([], "value");
    expect(sort).toEqual([{ column: "value", desc: false }]);
    sort = toggleSort(sort, "value");
    expect(sort).toEqual([{ column: "value", desc: true }]);
    expect(toggleSort(sort, "value")).toEqual([]);
    expect(toggleSort(sort, "stage")).toEqual([{ column: "stage", desc: false }]);
    expect(toggleSort(sort, "stage", true)).toEqual([{ column: "value", desc: true }, { column: "stage", desc: false }]);
  });

  it("offers only the operators a column's type takes", () => {
    expect(operatorsFor("boolean").map((o) => o.op)).toEqual(["eq", "ne", "is_empty", "is_not_empty"]);
    expect(operatorsFor("json").map((o) => o.op)).not.toContain("gt");
  });
});

describe("cells", () => {
  it("read as their type", () => {
    expect(formatCell(money, 1200.5)).toBe("$1,200.50");
    expect(formatCell({ name: "ok", type: "boolean" }, false)).toBe("No");
    expect(formatCell(json, { a: 1 })).toBe('{"a":1}');
    expect(formatCell({ name: "ref", type: "reference" }, 12)).toBe("#12");
    expect(formatCell(text, null)).toBe("");
  });

  it("turn typed text into values: empty is null, JSON is checked here, the rest goes as typed", () => {
    expect(fromInput(money, "$1,200.50")).toEqual({ value: "$1,200.50" });
    expect(fromInput(money, " ")).toEqual({ value: null });
    expect(fromInput(json, '{"a": [1]}')).toEqual({ value: { a: [1] } });
    expect(fromInput(json, "{oops")).toEqual({ error: "That is not valid JSON." });
    expect(fromInput({ name: "ok", type: "boolean" }, "false")).toEqual({ value: false });
    expect(fromInput({ name: "ref", type: "reference" }, "12")).toEqual({ value: 12 });
    expect(fromInput(text, "")).toEqual({ value: null });
  });

  it("shows a date with time in local time and sends it back as UTC", () => {
    const stored = "2026-03-01T15:30:00.000Z";
    const shown = toInput(when, stored);
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromInput(when, shown)).toEqual({ value: stored });
  });

  it("collect a new row's values and every local problem", () => {
    expect(valuesFromInputs([text, money, json], { stage: "Won", value: "", extra: "{" })).toEqual({
      values: { stage: "Won" }, errors: { extra: "That is not valid JSON." },
    });
  });
});

describe("the Columns dialog's PATCH body", () => {
  const table: Table = {
    id: 4, name: "Deals", description: "", key_column: "code", preset: null, row_count: 2, created_at: "", updated_at: "",
    columns: [
      { name: "code", type: "text", options: {} },
      { name: "amount", type: "number", options: {} },
      { name: "value", type: "money", options: { currency: "USD", description: "in dollars" } },
      { name: "due", type: "date", options: { time: false } },
    ],
  };
  const drafts = () => table.columns.map(fromColumn);

  it("is empty when nothing changed", () => {
    expect(tableChange(table, "Deals", drafts(), 0)).toEqual({});
  });

  it("renames, retypes (keeping a description), adds and removes in one body, following the renamed key", () => {
    const [code, amount, value] = drafts();
    const columns = [{ ...code, name: "ref" }, { ...amount, type: "text" as const }, { ...value, option: "eur" },
      { ...blankColumn(), name: "notes" }];
    expect(tableChange(table, " Big deals ", columns, 0)).toEqual({
      name: "Big deals",
      columns: {
        add: [{ name: "notes", type: "text", options: {} }],
        change: [
          { name: "code", new_name: "ref" },
          { name: "amount", type: "text", options: {} },
          { name: "value", type: "money", options: { description: "in dollars", currency: "EUR" } },
        ],
        remove: ["due"],
      },
    });
  });

  it("sends the order only when it moved, and the key when it is another column or none", () => {
    const [code, amount, value, due] = drafts();
    expect(tableChange(table, "Deals", [amount, code, value, due], 0)).toEqual({
      columns: { order: ["amount", "code", "value", "due"] }, key_column: "amount",
    });
    expect(tableChange(table, "Deals", [code, amount, value, due, { ...blankColumn(), name: "x" }], null)).toEqual({
      columns: { add: [{ name: "x", type: "text", options: {} }] }, key_column: null,
    });
    expect(tableChange(table, "Deals", [{ ...blankColumn(), name: "x" }, code, amount, value, due], 1).columns)
      .toEqual({ add: [{ name: "x", type: "text", options: {} }], order: ["x", "code", "amount", "value", "due"] });
  });
});
