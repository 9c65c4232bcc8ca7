/** Data tables, their rows and CSV (server/api/tables.py; server/tables/README.md). */
import { call } from "./client";

export const COLUMN_TYPES = ["text", "number", "money", "date", "boolean", "json", "reference"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnOptions {
  description?: string;
  /** text: the allowed values. */
  choices?: string[];
  /** money: a 3-letter code. */
  currency?: string;
  /** date: with a time of day. */
  time?: boolean;
  /** reference: the table the row ids belong to. */
  table_id?: number;
}

export interface Column {
  name: string;
  type: ColumnType;
  options?: ColumnOptions;
}

export interface Table {
  id: number;
  name: string;
  description: string;
  key_column: string | null;
  preset: string | null;
  row_count: number;
  columns: Column[];
  created_at: string;
  updated_at: string;
}

/** A change to an existing column: `new_name` renames it; `type` and `options` retype it. */
export interface ColumnChange {
  name: string;
  new_name?: string;
  type?: ColumnType;
  options?: ColumnOptions;
}

/** The PATCH body: existing values are converted to new types; `invalid: "clear"` empties those that cannot be. */
export interface TableChange {
  name?: string;
  description?: string;
  key_column?: string | null;
  columns?: { add?: Column[]; change?: ColumnChange[]; remove?: string[]; order?: string[] };
  invalid?: "fail" | "clear";
}

/** One value a column change could not convert (the 422 body's `errors`, with `count` in all). */
export interface ConversionProblem {
  row: number;
  column: string;
  message: string;
}

export type CellValue = string | number | boolean | null | object;
export type Row = { id: number; created_at: string; updated_at: string } & Record<string, CellValue>;

export interface RowPage {
  rows: Row[];
  total: number;
  limit: number;
  offset: number;
  next_cursor: string | null;
}

/** One refused value (422 on a row write): `column`; or in a CSV file: `line` too. */
export interface ValueProblem {
  line?: number;
  column: string | null;
  message: string;
}

export interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

const base = (id: number) => `/api/tables/${id}`;

export const tablesApi = {
  list: () => call<{ tables: Table[] }>("GET", "/api/tables").then((r) => r.tables),
  get: (id: number) => call<Table>("GET", base(id)),
  create: (body: { name: string; description?: string; key_column?: string | null; columns: Column[] }) =>
    call<Table>("POST", "/api/tables", body),
  update: (id: number, body: TableChange) =>
    call<Table & { values: { converted: number; cleared: number } }>("PATCH", base(id), body),
  createPreset: (preset: string) => call<Table>("POST", `/api/tables/presets/${encodeURIComponent(preset)}`),
  remove: (id: number) => call<void>("DELETE", base(id)),
  /** `query` is the list query without the leading "?" (sort, filters, q, limit, offset). */
  rows: (id: number, query: string) => call<RowPage>("GET", `${base(id)}/rows${query ? `?${query}` : ""}`),
  addRow: (id: number, values: Record<string, CellValue>) => call<Row>("POST", `${base(id)}/rows`, { values }),
  updateRow: (id: number, rowId: number, values: Record<string, CellValue>) =>
    call<Row & { changed: string[] }>("PATCH", `${base(id)}/rows/${rowId}`, { values }),
  deleteRow: (id: number, rowId: number) => call<void>("DELETE", `${base(id)}/rows/${rowId}`),
  deleteRows: (id: number, ids: number[]) => call<{ deleted: number }>("POST", `${base(id)}/rows/delete`, { ids }),
  /** The whole file in one request; a refusal is an ApiError whose body lists every problem. */
  importCsv: (id: number, file: Blob, mode: "insert" | "upsert") =>
    call<ImportReport>("POST", `${base(id)}/import?mode=${mode}`, new Blob([file], { type: "text/csv" })),
  exportUrl: (id: number, query: string) => `${base(id)}/export${query ? `?${query}` : ""}`,
};
