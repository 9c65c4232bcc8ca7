/** "Add row" (a typed form; each refused value is shown under its field) and "Import CSV"
 *  (the server checks the whole file first and lists every problem with its line). */
import { useState } from "react";
import { ApiError } from "../api/client";
import { tablesApi, type ImportReport, type Row, type Table, type ValueProblem } from "../api/tables";
import { Dialog } from "../components/Dialog";
import { CellInput } from "./CellInput";
import { valuesFromInputs } from "./view";

export function AddRowDialog({ table, onAdded, onClose }: {
  table: Table;
  onAdded: (row: Row) => void;
  onClose: () => void;
}) {
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [detail, setDetail] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async () => {
    const { values, errors: local } = valuesFromInputs(table.columns, texts);
    setErrors(local);
    setDetail(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      onAdded(await tablesApi.addRow(table.id, values));
    } catch (err) {
      const listed = err instanceof ApiError ? (err.body.errors as ValueProblem[] | undefined) ?? [] : [];
      setErrors(Object.fromEntries(listed.filter((p) => p.column).map((p) => [p.column as string, p.message])));
      setDetail((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Add a row to ${table.name}`} onClose={onClose} wide testId="add-row-dialog"
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy} onClick={() => void add()}>Add row</button></>}>
      <div className="row-form">
        {table.columns.map((column, index) => (
          <label key={column.name} className={`field${errors[column.name] ? " field-invalid" : ""}`}>
            <span className="field-label">{column.name} <span className="muted small">{column.type}
              {table.key_column === column.name ? " · key" : ""}</span></span>
            <CellInput column={column} value={texts[column.name] ?? ""} autoFocus={index === 0} label={column.name}
              onChange={(text) => setTexts((t) => ({ ...t, [column.name]: text }))} />
            {column.options?.description && <span className="help">{column.options.description}</span>}
            {errors[column.name] && <span className="error-text">{errors[column.name]}</span>}
          </label>
        ))}
      </div>
      {detail && <p className="error-text" role="alert">{detail}</p>}
    </Dialog>
  );
}

export function ImportDialog({ table, onImported, onClose }: {
  table: Table;
  onImported: (report: ImportReport) => void;
  onClose: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<"insert" | "upsert">("insert");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ detail: string; count: number; problems: ValueProblem[] } | null>(null);

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setRefusal(null);
    try {
      onImported(await tablesApi.importCsv(table.id, file, mode));
    } catch (err) {
      const body = err instanceof ApiError ? err.body : {};
      const problems = (body.errors as ValueProblem[] | undefined) ?? [];
      setRefusal({ detail: (err as Error).message, count: Number(body.count ?? problems.length), problems });
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Import CSV into ${table.name}`} onClose={onClose} wide testId="import-dialog"
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy || !file} onClick={() => void run()}>Import</button></>}>
      <p className="muted">
        The first line names the columns ({table.columns.map((c) => c.name).join(", ")}). Every line is checked
        first: a file with any problem imports nothing.
      </p>
      <label className="field">
        <span className="field-label">File</span>
        <input type="file" accept=".csv,text/csv" aria-label="CSV file" data-testid="import-csv-file"
          onChange={(e) => { setFile(e.target.files?.[0] ?? null); setRefusal(null); }} />
      </label>
      <label className="field">
        <span className="field-label">Rows in the file</span>
        <select aria-label="Import mode" value={mode} onChange={(e) => setMode(e.target.value as "insert" | "upsert")}>
          <option value="insert">Add them as new rows</option>
          <option value="upsert" disabled={!table.key_column}>
            Update rows with the same {table.key_column ?? "key"}, add the others{table.key_column ? "" : " (needs a key column)"}
          </option>
        </select>
      </label>
      {refusal && (
        <div className="import-report" data-testid="import-report" role="alert">
          <p className="error-text">{refusal.detail}</p>
          {refusal.problems.length > 0 && (
            <table className="table compact">
              <thead><tr><th>Line</th><th>Column</th><th>Problem</th></tr></thead>
              <tbody>
                {refusal.problems.map((p, i) => (
                  <tr key={i} data-testid="import-problem">
                    <td>{p.line ?? ""}</td><td>{p.column ?? ""}</td><td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {refusal.count > refusal.problems.length && (
            <p className="muted small">…and {refusal.count - refusal.problems.length} more.</p>
          )}
        </div>
      )}
    </Dialog>
  );
}
