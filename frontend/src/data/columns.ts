/** Columns as the table dialogs edit them, and the PATCH /api/tables/<id> body that applies an edit. */
import type { Column, ColumnChange, ColumnType, Table, TableChange } from "../api/tables";

export interface DraftColumn {
  name: string;
  type: ColumnType;
  /** text: comma-separated choices; money: currency; reference: table id. */
  option: string;
  time: boolean;
  /** The column as it is in the table; none for a column being added. */
  from?: Column;
}

/** The types a key column may have. */
export const KEY_TYPES: ColumnType[] = ["text", "number", "date"];

export const blankColumn = (): DraftColumn => ({ name: "", type: "text", option: "", time: false });

export function toColumn(draft: DraftColumn): Column {
  const option = draft.option.trim();
  const options: Column["options"] = {};
  if (draft.type === "text" && option) options.choices = option.split(",").map((c) => c.trim()).filter(Boolean);
  if (draft.type === "money" && option) options.currency = option.toUpperCase();
  if (draft.type === "date" && draft.time) options.time = true;
  if (draft.type === "reference") options.table_id = Number(option);
  return { name: draft.name.trim(), type: draft.type, options };
}

export function fromColumn(column: Column): DraftColumn {
  const o = column.options ?? {};
  const option = column.type === "text" ? (o.choices ?? []).join(", ")
    : column.type === "money" ? o.currency ?? ""
      : column.type === "reference" && o.table_id ? String(o.table_id) : "";
  return { name: column.name, type: column.type, option, time: !!o.time, from: column };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One PATCH body for the edited name, columns (in their new order) and key (an index into
 *  `columns`, or null); only what changed is in it, so an untouched table gives `{}`. */
export function tableChange(table: Table, name: string, columns: DraftColumn[], key: number | null): TableChange {
  const body: TableChange = {};
  if (name.trim() && name.trim() !== table.name) body.name = name.trim();
  const kept = columns.filter((c) => c.from);
  const remove = table.columns.filter((c) => !kept.some((k) => k.from?.name === c.name)).map((c) => c.name);
  const change: ColumnChange[] = [];
  for (const draft of kept) {
    const from = draft.from as Column;
    const after = toColumn(draft);
    const one: ColumnChange = { name: from.name };
    if (after.name && after.name !== from.name) one.new_name = after.name;
    if (!same(after, { ...toColumn(fromColumn(from)), name: after.name })) {
      const description = from.options?.description;
      Object.assign(one, { type: after.type, options: description ? { description, ...after.options } : after.options });
    }
    if (one.new_name || one.type) change.push(one);
  }
  const add = columns.filter((c) => !c.from && c.name.trim()).map(toColumn);
  const finalName = (c: DraftColumn) => c.name.trim() || (c.from as Column).name;
  const order = columns.filter((c) => c.from || c.name.trim()).map(finalName);
  // Without an order the server keeps the columns where they were and puts added ones last.
  const natural = table.columns.flatMap((c) => kept.filter((k) => k.from?.name === c.name).map(finalName));
  const ops = { add, change, remove, order: same(order, [...natural, ...add.map((c) => c.name)]) ? [] : order };
  const columnOps = Object.fromEntries(Object.entries(ops).filter(([, v]) => v?.length));
  if (Object.keys(columnOps).length) body.columns = columnOps;
  const keyDraft = key === null ? undefined : columns[key];
  const keyName = keyDraft && KEY_TYPES.includes(keyDraft.type) ? toColumn(keyDraft).name || keyDraft.from?.name : undefined;
  // The key column as it was, renamed or not, is followed by the server; anything else is said.
  if (!(keyDraft?.from && keyDraft.from.name === table.key_column && keyName) && (keyName ?? null) !== table.key_column) {
    body.key_column = keyName ?? null;
  }
  return body;
}
