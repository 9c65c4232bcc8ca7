/** The Data page: every data table (/data), and one table's rows (/data/<id>). */
import { useCallback, useEffect, useState } from "react";
import { atLeast } from "../api/session";
import { tablesApi, type Table } from "../api/tables";
import { Link } from "../components/Link";
import { toast } from "../components/toast";
import { CreateTableDialog } from "../data/CreateTableDialog";
import { navigate } from "../router";
import { TablePage } from "./TablePage";
import "../data/data.css";

export function DataPage({ id }: { id?: number }) {
  return id === undefined ? <TablesList /> : <TablePage key={id} id={id} />;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function TablesList() {
  const [tables, setTables] = useState<Table[] | null>(null);
  const [creating, setCreating] = useState(false);
  const canEdit = atLeast("editor");

  const load = useCallback(async () => {
    try {
      setTables(await tablesApi.list());
    } catch (err) {
      toast(`Could not load the tables: ${(err as Error).message}`, "error");
    }
  }, []);
  useEffect(() => void load(), [load]);

  const preset = async () => {
    try {
      const table = await tablesApi.createPreset("opportunities");
      toast(`The ${table.name} table is ready`, "success");
      navigate(`/data/${table.id}`);
    } catch (err) {
      toast(`Could not create it: ${(err as Error).message}`, "error");
    }
  };
  const hasPreset = !!tables?.some((t) => t.preset === "opportunities");

  return (
    <main className="page" data-testid="data-page">
      <div className="page-head">
        <h1>Data</h1>
        <div className="toolbar">
          {canEdit && tables && !hasPreset && (
            <button className="btn" onClick={() => void preset()} data-testid="create-preset">Create Opportunities table</button>
          )}
          {canEdit && <button className="btn btn-primary" onClick={() => setCreating(true)}>New table</button>}
        </div>
      </div>
      <p className="hint">Tables Flowlane keeps for your workflows: typed columns, filters, CSV in and out. Workflows read
        and write them with the Data nodes, and "Table changed" starts a workflow when a row changes.</p>
      {tables === null ? <p className="muted">Loading…</p> : tables.length === 0 ? (
        <div className="empty">
          <p>No tables yet.{canEdit && " Create one, or start with the Opportunities table the dashboards read."}</p>
        </div>
      ) : (
        <table className="table" data-testid="tables-list">
          <thead><tr><th>Table</th><th>Columns</th><th>Rows</th><th>Key</th><th>Updated</th></tr></thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.id} data-testid="table-row" data-name={t.name}>
                <td>
                  <Link href={`/data/${t.id}`} className="wf-name">{t.name}</Link>
                  {t.preset && <span className="tag">preset</span>}
                  {t.description && <div className="muted small">{t.description}</div>}
                </td>
                <td className="muted">{t.columns.map((c) => c.name).join(", ")}</td>
                <td>{t.row_count.toLocaleString()}</td>
                <td className="muted">{t.key_column ?? "–"}</td>
                <td className="muted nowrap">{when(t.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && tables && (
        <CreateTableDialog tables={tables} onClose={() => setCreating(false)}
          onCreated={(table) => { setCreating(false); toast(`Created ${table.name}`, "success"); navigate(`/data/${table.id}`); }} />
      )}
    </main>
  );
}
