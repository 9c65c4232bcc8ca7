/** A new table: its name, typed columns (with each type's options) and an optional key column. */
import { useState } from "react";
import { ApiError } from "../api/client";
import { tablesApi, type Table } from "../api/tables";
import { Dialog } from "../components/Dialog";
import { ColumnInputs } from "./ColumnInputs";
import { KEY_TYPES, blankColumn, toColumn, type DraftColumn } from "./columns";

export function CreateTableDialog({ tables, onCreated, onClose }: {
  tables: Table[];
  onCreated: (table: Table) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [columns, setColumns] = useState<DraftColumn[]>([{ ...blankColumn(), name: "name" }]);
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
              <ColumnInputs column={column} index={index} tables={tables} onChange={(patch) => change(index, patch)} />
              <button type="button" className="icon-btn" aria-label={`Remove column ${index + 1}`}
                onClick={() => setColumns((list) => list.filter((_, i) => i !== index))}>×</button>
            </div>
          ))}
        </div>
        <div>
          <button type="button" className="btn btn-small"
            onClick={() => setColumns((list) => [...list, blankColumn()])}>+ Add column</button>
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
