/** The Data page's view of a table lives in the URL (/data/3?sort=-value&filters=[...]&page=2),
 *  so reloads, links and back/forward keep it; plus how cells read and how typed input
 *  becomes a value to send. The server converts and checks every value again. */
import type { CellValue, Column, ColumnType } from "../api/tables";

export interface Filter {
  column: string;
  op: string;
  value: string;
}

export interface SortKey {
  column: string;
  desc: boolean;
}

export interface GridView {
  sort: SortKey[];
  filters: Filter[];
  match: "all" | "any";
  q: string;
  /** 1-based. */
  page: number;
  size: number;
}

export const PAGE_SIZES = [50, 100, 250, 500];
export const DEFAULT_VIEW: GridView = { sort: [], filters: [], match: "all", q: "", page: 1, size: 100 };

/** Fields every row has besides its columns. */
export const SYSTEM_FIELDS = ["id", "created_at", "updated_at"];

/** Operators, their labels, and the column types each applies to (as server/tables/query.py). */
export const OPERATORS: { op: string; label: string; types: string[]; noValue?: boolean }[] = [
  { op: "eq", label: "is", types: ["text", "number", "money", "date", "boolean", "reference", "system"] },
  { op: "ne", label: "is not", types: ["text", "number", "money", "date", "boolean", "reference", "system"] },
  { op: "contains", label: "contains", types: ["text", "json"] },
  { op: "not_contains", label: "does not contain", types: ["text", "json"] },
  { op: "starts_with", label: "starts with", types: ["text"] },
  { op: "ends_with", label: "ends with", types: ["text"] },
  { op: "gt", label: ">", types: ["text", "number", "money", "date", "reference", "system"] },
  { op: "gte", label: "≥", types: ["text", "number", "money", "date", "reference", "system"] },
  { op: "lt", label: "<", types: ["text", "number", "money", "date", "reference", "system"] },
  { op: "lte", label: "≤", types: ["text", "number", "money", "date", "reference", "system"] },
  { op: "in", label: "is one of", types: ["text", "number", "money", "date", "reference", "system"] },
  { op: "is_empty", label: "is empty", types: ["text", "number", "money", "date", "boolean", "json", "reference"], noValue: true },
  { op: "is_not_empty", label: "is not empty", types: ["text", "number", "money", "date", "boolean", "json", "reference"], noValue: true },
];

export function operatorsFor(type: ColumnType | "system"): typeof OPERATORS {
  return OPERATORS.filter((o) => o.types.includes(type));
}

export function needsValue(op: string): boolean {
  return !OPERATORS.find((o) => o.op === op)?.noValue;
}

function parseSort(text: string | null): SortKey[] {
  return (text ?? "").split(",").map((s) => s.trim()).filter(Boolean).slice(0, 5)
    .map((s) => ({ column: s.replace(/^-/, ""), desc: s.startsWith("-") }));
}

function sortText(sort: SortKey[]): string {
  return sort.map((s) => (s.desc ? `-${s.column}` : s.column)).join(",");
}

function parseFilterList(text: string | null): Filter[] {
  if (!text) return [];
  try {
    const given: unknown = JSON.parse(text);
    if (!Array.isArray(given)) return [];
    return given.filter((f): f is Filter => !!f && typeof f.column === "string" && typeof f.op === "string")
      .map((f) => ({ column: f.column, op: f.op, value: f.value == null ? "" : String(f.value) }));
  } catch {
    return [];
  }
}

function positive(text: string | null, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function parseView(search: string): GridView {
  const params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const size = positive(params.get("size"), DEFAULT_VIEW.size);
  return {
    sort: parseSort(params.get("sort")),
    filters: parseFilterList(params.get("filters")),
    match: params.get("match") === "any" ? "any" : "all",
    q: params.get("q") ?? "",
    page: positive(params.get("page"), 1),
    size: PAGE_SIZES.includes(size) ? size : DEFAULT_VIEW.size,
  };
}

/** What selects rows (sort, filters, match, q) as API query parameters; no paging. */
function selection(view: GridView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.sort.length) params.set("sort", sortText(view.sort));
  if (view.filters.length) {
    params.set("filters", JSON.stringify(view.filters.map((f) => ({
      column: f.column, op: f.op,
      value: !needsValue(f.op) ? null : f.op === "in" ? f.value.split(",").map((v) => v.trim()) : f.value,
    }))));
  }
  if (view.filters.length > 1 && view.match === "any") params.set("match", "any");
  if (view.q.trim()) params.set("q", view.q.trim());
  return params;
}

/** The page's own URL for this view (only what differs from the default). */
export function viewUrl(tableId: number, view: GridView): string {
  const params = new URLSearchParams();
  if (view.sort.length) params.set("sort", sortText(view.sort));
  if (view.filters.length) params.set("filters", JSON.stringify(view.filters));
  if (view.match === "any") params.set("match", "any");
  if (view.q) params.set("q", view.q);
  if (view.page > 1) params.set("page", String(view.page));
  if (view.size !== DEFAULT_VIEW.size) params.set("size", String(view.size));
  const text = params.toString();
  return `/data/${tableId}${text ? `?${text}` : ""}`;
}

/** GET /api/tables/<id>/rows query for the view's page. */
export function rowsQuery(view: GridView): string {
  const params = selection(view);
  params.set("limit", String(view.size));
  params.set("offset", String((view.page - 1) * view.size));
  return params.toString();
}

/** GET /api/tables/<id>/export query: the same rows, every page. */
export function exportQuery(view: GridView): string {
  return selection(view).toString();
}

/** Clicking a header: ascending, then descending, then unsorted. With `add` (shift-click) the
 *  column joins the sort after the others instead of replacing them. */
export function toggleSort(sort: SortKey[], column: string, add = false): SortKey[] {
  const found = sort.find((s) => s.column === column);
  const next: SortKey | null = !found ? { column, desc: false } : !found.desc ? { column, desc: true } : null;
  if (!add) return next ? [next] : [];
  const others = sort.filter((s) => s.column !== column);
  return next ? (found ? sort.map((s) => (s.column === column ? next : s)) : [...others, next]).slice(0, 5) : others;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function money(value: number, currency = "USD"): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}

/** How a stored value reads in a cell. */
export function formatCell(column: Column, value: CellValue | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  switch (column.type) {
    case "money":
      return typeof value === "number" ? money(value, column.options?.currency) : String(value);
    case "number":
      return typeof value === "number" ? value.toLocaleString(undefined, { maximumFractionDigits: 10 }) : String(value);
    case "boolean":
      return value === true ? "Yes" : value === false ? "No" : String(value);
    case "date":
      if (typeof value === "string" && column.options?.time) {
        const date = new Date(value);
        if (!Number.isNaN(date.getTime())) return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      }
      return String(value);
    case "json":
      return JSON.stringify(value);
    case "reference":
      return `#${String(value)}`;
    default:
      return String(value);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The text an input shows for a stored value. */
export function toInput(column: Column, value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (column.type === "json") return JSON.stringify(value, null, 2);
  if (column.type === "boolean") return value === true ? "true" : value === false ? "false" : "";
  if (column.type === "date" && column.options?.time && typeof value === "string") {
    // datetime-local shows local time without a zone.
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return value;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  return String(value);
}

/** What to send for an input's text: empty is null; JSON is parsed here so a typo is caught
 *  before it leaves; everything else goes as typed and the server converts it. */
export function fromInput(column: Column, text: string): { value: CellValue } | { error: string } {
  const trimmed = text.trim();
  if (column.type !== "text" && trimmed === "") return { value: null };
  switch (column.type) {
    case "text":
      return { value: text === "" ? null : text };
    case "json":
      try {
        return { value: JSON.parse(trimmed) as CellValue };
      } catch {
        return { error: "That is not valid JSON." };
      }
    case "boolean":
      return { value: trimmed === "true" ? true : trimmed === "false" ? false : trimmed };
    case "reference":
      return /^\d+$/.test(trimmed) ? { value: Number(trimmed) } : { value: trimmed };
    case "date":
      if (column.options?.time && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(trimmed)) {
        return { value: new Date(trimmed).toISOString() };
      }
      return { value: trimmed };
    default:
      return { value: trimmed };
  }
}

/** Values for a new row from the inputs' texts (unset inputs are left out). */
export function valuesFromInputs(columns: Column[], texts: Record<string, string>):
  { values: Record<string, CellValue>; errors: Record<string, string> } {
  const values: Record<string, CellValue> = {};
  const errors: Record<string, string> = {};
  for (const column of columns) {
    const text = texts[column.name];
    if (text === undefined || text === "") continue;
    const result = fromInput(column, text);
    if ("error" in result) errors[column.name] = result.error;
    else values[column.name] = result.value;
  }
  return { values, errors };
}
