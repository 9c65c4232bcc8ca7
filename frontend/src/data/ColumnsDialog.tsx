/** An existing table's columns: rename, retype (with each type's options), add, remove and
 *  reorder them, choose the key column and rename the table; saved as one PATCH. Values that
 *  cannot take a new type are listed, and can be cleared to save anyway. */
import { useEffect, useState } from "react";
import { ApiError } from "../api/client";
import { tablesApi, type ConversionProblem, type Table } from "../api/tables";
import { Dialog } from "../components/Dialog";
import { ColumnInputs } from "./ColumnInputs";
import { KEY_TYPES, blankColumn, fromColumn, tableChange, type DraftColumn } from "./columns";

interface Refusal {
  detail: string;
  problems: ConversionProblem[];
  count: number;
}

export function ColumnsDialog({ table, onSaved, onClose }: {
  table: Table;
  onSaved: (table: Table) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(table.name);
  const [columns, setColumns] = useState<DraftColumn[]>(() => table.columns.map(fromColumn));
  const [key, setKey] = useState<number | null>(() => {
    const index = table.columns.findIndex((c) => c.name === table.key_column);
    return index < 0 ? null : index;
  });
  const [tables, setTables] = useState<Table[]>([table]);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    tablesApi.list().then(setTables, () => undefined);
  }, []);

  const edit = (update: (list: DraftColumn[]) => DraftColumn[]) => {
    setColumns(update);
    setRefusal(null);
  };
  const change = (index: number, patch: Partial<DraftColumn>) =>
    edit((list) => list.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  const move = (index: number, to: number) => {
    edit((list) => list.map((c, i) => (i === index ? list[to] : i === to ? list[index] : c)));
    setKey((k) => (k === index ? to : k === to ? index : k));
  };
  const remove = (index: number) => {
    edit((list) => list.filter((_, i) => i !== index));
    setKey((k) => (k === index ? null : k !== null && k > index ? k - 1 : k));
  };
  const keyChoices = columns.map((c, index) => ({ c, index })).filter(({ c }) => c.name.trim() && KEY_TYPES.includes(c.type));
  const keyIndex = keyChoices.some(({ index }) => index === key) ? key : null;
  const unnamed = columns.some((c) => c.from && !c.name.trim());

  const save = async (invalid: "fail" | "clear") => {
    setBusy(true);
    setError(null);
    try {
      const body = tableChange(table, name, columns, keyIndex);
      onSaved(Object.keys(body).length ? await tablesApi.update(table.id, { ...body, invalid }) : table);
    } catch (err) {
      const count = err instanceof ApiError ? err.body.count : undefined;
      if (err instanceof ApiError && typeof count === "number") {
        setRefusal({ detail: err.message, problems: (err.body.errors ?? []) as ConversionProblem[], count });
      } else {
        setError(err instanceof ApiError ? err.message : String(err));
      }
      setBusy(false);
    }
  };

  return (
    <Dialog title="Columns" onClose={onClose} wide testId="columns-dialog"
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        {refusal && <button className="btn btn-danger-ghost" disabled={busy} onClick={() => void save("clear")}>
          Clear those values and save</button>}
        <button className="btn btn-primary" disabled={busy || !name.trim() || unnamed} onClick={() => void save("fail")}>Save</button></>}>
      <label className="field">
        <span className="field-label">Table name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Table name" />
      </label>
      <div className="field">
        <span className="field-label">Columns</span>
        <div className="column-list">
          {columns.map((column, index) => (
            <div className="column-row column-row-edit" key={index} data-testid="column-edit" data-column={column.from?.name ?? ""}>
              <ColumnInputs column={column} index={index} tables={tables} onChange={(patch) => change(index, patch)} />
              <button type="button" className="icon-btn" aria-label={`Move column ${index + 1} up`} disabled={index === 0}
                onClick={() => move(index, index - 1)}>↑</button>
              <button type="button" className="icon-btn" aria-label={`Move column ${index + 1} down`}
                disabled={index === columns.length - 1} onClick={() => move(index, index + 1)}>↓</button>
              <button type="button" className="icon-btn" aria-label={`Remove column ${index + 1}`}
                onClick={() => remove(index)}>×</button>
            </div>
          ))}
        </div>
        <div>
          <button type="button" className="btn btn-small" onClick={() => edit((list) => [...list, blankColumn()])}>+ Add column</button>
        </div>
        <span className="help">Values already in the table are converted to a column's new type; removing a column deletes its values.</span>
      </div>
      <label className="field">
        <span className="field-label">Key column</span>
        <select aria-label="Key column" value={keyIndex ?? ""} onChange={(e) => setKey(e.target.value === "" ? null : Number(e.target.value))}>
          <option value="">None</option>
          {keyChoices.map(({ c, index }) => <option key={index} value={index}>{c.name.trim()}</option>)}
        </select>
      </label>
      {error && <p className="error-text" role="alert">{error}</p>}
      {refusal && (
        <div className="import-report" role="alert" data-testid="conversion-problems">
          <p className="error-text">{refusal.detail}</p>
          <table className="table compact">
            <thead><tr><th>Row</th><th>Column</th><th>Problem</th></tr></thead>
            <tbody>
              {refusal.problems.map((p, i) => (
                <tr key={i} data-testid="conversion-problem"><td>{p.row}</td><td>{p.column}</td><td>{p.message}</td></tr>
              ))}
            </tbody>
          </table>
          {refusal.count > refusal.problems.length && <p className="muted small">…and {refusal.count - refusal.problems.length} more.</p>}
        </div>
      )}
    </Dialog>
  );
}
