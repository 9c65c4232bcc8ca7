/** One column's name, type and the type's option: the inputs both table dialogs show. */
import { COLUMN_TYPES, type ColumnType, type Table } from "../api/tables";
import type { DraftColumn } from "./columns";

export function ColumnInputs({ column, index, tables, onChange }: {
  column: DraftColumn; index: number; tables: Table[]; onChange: (patch: Partial<DraftColumn>) => void;
}) {
  return (
    <>
      <input aria-label={`Column ${index + 1} name`} value={column.name} placeholder="column_name"
        onChange={(e) => onChange({ name: e.target.value })} />
      <select aria-label={`Column ${index + 1} type`} value={column.type}
        onChange={(e) => onChange({ type: e.target.value as ColumnType, option: "" })}>
        {COLUMN_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
      </select>
      <ColumnOption column={column} tables={tables} label={`Column ${index + 1} option`} onChange={onChange} />
    </>
  );
}

function ColumnOption({ column, tables, label, onChange }: {
  column: DraftColumn; tables: Table[]; label: string; onChange: (patch: Partial<DraftColumn>) => void;
}) {
  switch (column.type) {
    case "text":
      return <input aria-label={label} value={column.option} placeholder="choices: a, b, c (optional)"
        onChange={(e) => onChange({ option: e.target.value })} />;
    case "money":
      return <input aria-label={label} value={column.option} placeholder="currency (USD)" maxLength={3}
        onChange={(e) => onChange({ option: e.target.value })} />;
    case "date":
      return (
        <label className="checkbox">
          <input type="checkbox" checked={column.time} onChange={(e) => onChange({ time: e.target.checked })} aria-label={label} />
          with time
        </label>
      );
    case "reference":
      return (
        <select aria-label={label} value={column.option} onChange={(e) => onChange({ option: e.target.value })}>
          <option value="">Rows of which table?</option>
          {tables.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </select>
      );
    default:
      return <span />;
  }
}
