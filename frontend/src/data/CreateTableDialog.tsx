/** A new table: its name, typed columns (with each type's options) and an optional key column. */
import { useState } from "react";
import { ApiError } from "../api/client";
import { COLUMN_TYPES, tablesApi, type Column, type ColumnType, type Table } from "../api/tables";
import { Dialog } from "../components/Dialog";

interface DraftColumn {
  name: string;
  type: ColumnType;
  /** text: comma-separated choices; money: currency; reference: table id. */
  option: string;
  time: boolean;
}

const KEY_TYPES: ColumnType[] = ["text", "number", "date"];

function toColumn(draft: DraftColumn): Column {
  const option = draft.option.trim();
  const options: Column["options"] = {};
  if (draft.type === "text" && option) options.choices = option.split(",").map((c) => c.trim()).filter(Boolean);
  if (draft.type === "money" && option) options.currency = option.toUpperCase();
  if (draft.type === "date" && draft.time) options.time = true;
  if (draft.type === "reference") options.table_id = Number(option);
  return { name: draft.name.trim(), type: draft.type, options };
}

export function CreateTableDialog({ tables, onCreated, onClose }: {
  tables: Table[];
  onCreated: (table: Table) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [columns, setColumns] = useState<DraftColumn[]>([{ name: "name", type: "text", option: "", time: false }]);
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (index: number, patch: Partial<DraftColumn>) =>
    setColumns((list) => list.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  const keyChoices = columns.filter((c) => c.name.trim() && KEY_TYPES.includes(c.type)).map((c) => c.name.trim());

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const table = await tablesApi.create({
        name: name.trim(), description: description.trim(), columns: columns.filter((c) => c.name.trim()).map(toColumn),
        key_column: keyChoices.includes(key) ? key : null,
      });
      onCreated(table);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New table" onClose={onClose} wide testId="create-table-dialog"
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy || !name.trim()} onClick={() => void create()}>Create table</button></>}>
      <label className="field">
        <span className="field-label">Name</span>
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-label="Table name" placeholder="Deals" />
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <input value={description} onChange={(e) => setDescription(e.target.value)} aria-label="Table description" />
      </label>
      <div className="field">
        <span className="field-label">Columns</span>
        <div className="column-list">
          {columns.map((column, index) => (
            <div className="column-row" key={index} data-testid="column-draft">
              <input aria-label={`Column ${index + 1} name`} value={column.name} placeholder="column_name"
                onChange={(e) => change(index, { name: e.target.value })} />
              <select aria-label={`Column ${index + 1} type`} value={column.type}
                onChange={(e) => change(index, { type: e.target.value as ColumnType, option: "" })}>
                {COLUMN_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
              <ColumnOption column={column} tables={tables} index={index} onChange={(patch) => change(index, patch)} />
              <button type="button" className="icon-btn" aria-label={`Remove column ${index + 1}`}
                onClick={() => setColumns((list) => list.filter((_, i) => i !== index))}>×</button>
            </div>
          ))}
        </div>
        <div>
          <button type="button" className="btn btn-small"
            onClick={() => setColumns((list) => [...list, { name: "", type: "text", option: "", time: false }])}>+ Add column</button>
        </div>
        <span className="help">Names use letters, digits and _; every row also has id, created_at and updated_at.</span>
      </div>
      <label className="field">
        <span className="field-label">Key column</span>
        <select aria-label="Key column" value={keyChoices.includes(key) ? key : ""} onChange={(e) => setKey(e.target.value)}>
          <option value="">None</option>
          {keyChoices.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <span className="help">Optional: a text, number or date column whose values are unique; CSV upserts match rows on it.</span>
      </label>
      {error && <p className="error-text" role="alert">{error}</p>}
    </Dialog>
  );
}

function ColumnOption({ column, tables, index, onChange }: {
  column: DraftColumn; tables: Table[]; index: number; onChange: (patch: Partial<DraftColumn>) => void;
}) {
  const label = `Column ${index + 1} option`;
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
